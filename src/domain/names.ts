/** Kubernetes object name rules, checked before any API call so bad input gets a clear answer. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Quotes user input for a message, cut short so 10 kB of input does not become 10 kB of error. */
export function quoteInput(s: string, max = 60): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** Why `name` cannot be a namespace, or undefined when it can. */
export function namespaceNameProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    return `invalid namespace ${quoteInput(name)}: use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`;
  }
  return undefined;
}

/** Why `name` cannot be a Deployment name, or undefined when it can. */
export function deploymentNameProblem(name: string): string | undefined {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return `invalid deployment name ${quoteInput(name)}: use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters`;
  }
  return undefined;
}
