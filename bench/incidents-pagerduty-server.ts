/** The PagerDuty emulator in its own process for the incidents benchmark; prints the bot's PAGERDUTY_* environment and the routing keys as one JSON line. */
import { PagerDutyEmulator } from '../src/sim/pagerduty/emulator.js';

const pd = await PagerDutyEmulator.start();
process.stdout.write(`${JSON.stringify({ env: pd.env(), routingKeys: pd.routingKeys })}\n`);
process.on('SIGTERM', () => void pd.stop().then(() => process.exit(0)));
