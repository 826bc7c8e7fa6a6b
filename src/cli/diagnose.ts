import { isFailing } from '../domain/diagnosis.js';
import { EXIT } from '../errors.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';
import { renderDiagnosisText } from './render/diagnosis-text.js';

/** `deploy-medic diagnose`: exit 1 when the deployment is failing (a critical or error finding). */
export async function diagnoseCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd } = parseKubeCommand('diagnose', argv, io, env);
  const report = await cmd.services.reading.diagnose(cmd.target);
  io.out(cmd.output === 'json' ? JSON.stringify(report, null, 2) : renderDiagnosisText(report, cmd.style));
  return isFailing(report) ? EXIT.failing : EXIT.ok;
}
