import { waitForDeployment } from '../adapters/kube/deployment-watch.js';
import type { DiagnosisReport } from '../domain/diagnosis.js';
import { rolloutStatus, type RolloutStatus } from '../domain/rollout.js';
import { EXIT, toMedicError, userMessage } from '../errors.js';
import { durationOption } from './duration.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';
import { renderDiagnosisText } from './render/diagnosis-text.js';

/** kubectl's words when --timeout passes (client-go's wait.ErrWaitTimeout) and when the object goes away. */
export const TIMED_OUT = 'timed out waiting for the condition';
export const DELETED = 'object has been deleted';

/**
 * `deploy-medic rollout-status`: the CI deploy gate, in place of `kubectl
 * rollout status deployment/NAME`. It waits the same way (list, then watch,
 * a status line on stdout for every change; --timeout as Go durations, 0 or
 * none waits for ever) and prints the same lines, and the same `error: ...`
 * line on stderr when the rollout exceeds its progress deadline, the timeout
 * passes or the Deployment is deleted. Then, where kubectl stops, it prints
 * the diagnosis of the failed rollout and exits 1.
 *
 * --output json: the status lines go to stderr and stdout holds one JSON
 * document: {namespace, name, state, message} (the last status seen, as in
 * `status --output json`), plus {error, diagnosis} when the gate fails.
 */
export async function rolloutStatusCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd, args, kc } = parseKubeCommand('rollout-status', argv, io, env, { timeout: { type: 'string' } });
  const timeoutMs = durationOption('timeout', args.string('timeout')) ?? 0;
  const progress = cmd.output === 'json' ? io.err : io.out;
  // As kubectl does, the Deployment is read first: a missing one (or namespace) is an error before any wait.
  await cmd.services.reading.rollout(cmd.target);

  let last: RolloutStatus | undefined;
  const timeout = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => timeout.abort(), timeoutMs) : undefined;
  let end;
  try {
    end = await waitForDeployment(
      kc,
      cmd.target,
      (d) => {
        last = rolloutStatus(d);
        if (last.state === 'failed') return true;
        progress(last.message);
        return last.state === 'complete';
      },
      { signal: timeout.signal, onRetry: (e, ms) => io.err(`deploy-medic rollout-status: ${userMessage(e)}; trying again in ${ms / 1000} s`) },
    );
  } finally {
    clearTimeout(timer);
  }

  if (end === 'done' && last?.state === 'complete') {
    if (cmd.output === 'json') io.out(JSON.stringify({ namespace: cmd.target.namespace, name: cmd.target.name, ...last }, null, 2));
    return EXIT.ok;
  }
  const error = end === 'deleted' ? DELETED : end === 'aborted' ? TIMED_OUT : last!.message;
  io.err(`error: ${error}`);
  // Nothing is left to diagnose of a deleted Deployment.
  const diagnosis = end === 'deleted' ? undefined : await diagnose();
  if (cmd.output === 'json') io.out(JSON.stringify({ namespace: cmd.target.namespace, name: cmd.target.name, ...last, error, ...(diagnosis ? { diagnosis } : {}) }, null, 2));
  else if (diagnosis) io.out(`\n${renderDiagnosisText(diagnosis, cmd.style)}`);
  return EXIT.failing;

  async function diagnose(): Promise<DiagnosisReport | undefined> {
    try {
      return await cmd.services.reading.diagnose(cmd.target);
    } catch (e) {
      io.err(`deploy-medic rollout-status: the rollout failed, but it could not be diagnosed: ${userMessage(toMedicError(e))}`);
      return undefined;
    }
  }
}
