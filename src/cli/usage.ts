/**
 * What `deploy-medic help` prints, one entry per command: kept apart from the
 * commands so that printing help loads none of them.
 */
export const USAGES = {
  serve: 'deploy-medic serve                 # the Slack bot; configuration from the environment (see README)',
  diagnose: 'deploy-medic diagnose NAME -n NS [--kubeconfig F] [--context C] [--output text|json]',
  status: 'deploy-medic status NAME -n NS [--kubeconfig F] [--context C] [--output text|json]',
  history: 'deploy-medic history NAME -n NS [--kubeconfig F] [--context C] [--output text|json]',
  rollback: 'deploy-medic rollback NAME -n NS [--to-revision N] [--yes] [--kubeconfig F] [--context C] [--output text|json]',
  'rollout-status': `deploy-medic rollout-status NAME -n NS [--timeout 10m] [--kubeconfig F] [--context C] [--output text|json]
                 # CI deploy gate: waits like kubectl rollout status; on failure prints the diagnosis, exit 1`,
  preflight: `deploy-medic preflight -f FILE|DIR|- [-n NS] [--kubeconfig F] [--context C] [--output text|json]
                 # before kubectl apply: would these Deployments run here? exit 1 when a check finds an error;
                 # json: the diagnosis JSON with phase "preflight" (an array for several Deployments)`,
  audit: 'deploy-medic audit NAME -n NS [--cluster C] [--output text|json]   # proposals, votes, executions, results',
  incident: 'deploy-medic incident report ID [--output markdown|json]   # the post-incident report',
  playground: 'deploy-medic playground [--port 3000]   # everything local: simulated cluster, Slack console, the bot',
  sim: `deploy-medic sim [--port N] [--host ADDR] [--kubeconfig-out FILE] [--scenario NAME|all]...
                 [--list-scenarios [--output text|json]] [--no-controllers]
                 [--clock real|manual] [--time-scale N] [--seed N]`,
} as const;
