/** The Slack emulator in its own process for the benchmark; prints its URLs as one JSON line. */
import { SlackEmulator } from '../src/sim/slack/emulator.js';
import { defaultWorkspace } from '../src/sim/slack/fixtures.js';

const [signingSecret, botToken] = process.argv.slice(2) as [string, string];
const slack = await SlackEmulator.start({ signingSecret, botToken, ...defaultWorkspace() });
process.stdout.write(`${JSON.stringify({ apiUrl: slack.apiUrl, url: slack.url })}\n`);
process.on('SIGTERM', () => void slack.stop().then(() => process.exit(0)));
