import type { Container, PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector as LabelSelectorSpec } from 'kubernetes-types/meta/v1.js';
import { isQuantity } from '../../../domain/quantity.js';
import type { KubeObject } from '../object.js';
import { jsonEqual } from '../../../domain/json.js';
import { fromLabelSelectorSpec, labelValueErrors, matchesLabels, qualifiedNameErrors } from '../selectors.js';
import { StatusError, type StatusCause } from '../status-error.js';
import type { AdmissionHook } from '../store.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/**
 * The validation a serious client trips over (names, selectors, containers,
 * immutable selectors), answered with 422 Invalid exactly as the apiserver words it.
 */
export const validateObject: AdmissionHook = (obj, { op, old, subresource }) => {
  if (op === 'delete' || subresource === 'status') return;
  const causes: StatusCause[] = [];
  const name = obj.metadata.name ?? '';
  if (LABEL_NAMED.has(obj.kind)) {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) causes.push(invalid('metadata.name', name, LABEL_MSG));
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    if (obj.kind !== 'Event' || !name) causes.push(invalid('metadata.name', name, SUBDOMAIN_MSG));
  }
  validateLabels(obj.metadata.labels, 'metadata.labels', causes);
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      validateWorkload(obj, old, causes);
      break;
    case 'Pod':
      validatePodSpec(obj.spec as PodSpec | undefined, 'spec', causes);
      break;
  }
  if (causes.length) {
    const group = obj.apiVersion.includes('/') ? `.${obj.apiVersion.split('/')[0]}` : '';
    throw new StatusError(
      422,
      'Invalid',
      // errors.NewInvalid prints the field.ErrorList aggregate: one error bare, several in [...].
      `${obj.kind}${group} "${name}" is invalid: ${aggregateMessage(causes.map((c) => `${c.field}: ${c.message}`))}`,
      { name, group: group.slice(1) || undefined, kind: obj.kind, causes },
    );
  }
};

/** A value already rendered the way Go's field.Error prints it (%#v for maps and structs). */
class GoValue {
  constructor(readonly text: string) {}
}

function invalid(field: string, value: unknown, detail: string): StatusCause {
  const shown = value instanceof GoValue ? value.text : JSON.stringify(value);
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown}: ${detail}`, field };
}

const goQuote = (s: string) => JSON.stringify(s);

function aggregateMessage(msgs: string[]): string {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** %#v of a map[string]string: keys sorted, `map[string]string(nil)` when absent. */
function goStringMap(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(m).sort().map((k) => `${goQuote(k)}:${goQuote(m[k]!)}`).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector, e.g. in "spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable". */
function goLabelSelector(sel: LabelSelectorSpec | undefined): GoValue {
  if (!sel) return new GoValue('null');
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${e.values ? `[]string{${e.values.map(goQuote).join(', ')}}` : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`);
}

function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field };
}

/** ValidateLabels: one cause per message of IsQualifiedName (key) and IsValidLabelValue (value). */
function validateLabels(labels: Record<string, string> | undefined, field: string, causes: StatusCause[]): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of qualifiedNameErrors(k)) causes.push(invalid(field, k, msg));
    for (const msg of labelValueErrors(String(v))) causes.push(invalid(field, v, msg));
  }
}

function validateWorkload(obj: KubeObject, old: KubeObject | undefined, causes: StatusCause[]): void {
  const spec = (obj.spec ?? {}) as {
    replicas?: number;
    selector?: LabelSelectorSpec;
    template?: PodTemplateSpec;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  };
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    causes.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const selector = fromLabelSelectorSpec(spec.selector);
  if (!spec.selector) causes.push(required('spec.selector'));
  else if (selector.length === 0) causes.push(invalid('spec.selector', goLabelSelector(spec.selector), 'empty selector is invalid for deployment'));
  const labels = spec.template?.metadata?.labels;
  if (spec.selector && selector.length && !matchesLabels(selector, labels)) {
    causes.push(invalid('spec.template.metadata.labels', new GoValue(goStringMap(labels)), '`selector` does not match template `labels`'));
  }
  validateLabels(labels, 'spec.template.metadata.labels', causes);
  validatePodSpec(spec.template?.spec, 'spec.template.spec', causes);
  if (old && !jsonEqual((old.spec as { selector?: unknown }).selector, spec.selector)) {
    causes.push(invalid('spec.selector', goLabelSelector(spec.selector), 'field is immutable'));
  }
  const ru = spec.strategy?.rollingUpdate;
  if (obj.kind === 'Deployment' && ru && isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
    causes.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
}

const isZero = (v: number | string | undefined): boolean => v === 0 || v === '0%' || v === '0';

function validatePodSpec(spec: PodSpec | undefined, field: string, causes: StatusCause[]): void {
  if (!spec?.containers?.length) {
    causes.push(required(`${field}.containers`));
    return;
  }
  const seen = new Set<string>();
  const check = (c: Container, i: number, list: string) => {
    const f = `${field}.${list}[${i}]`;
    if (!c.name) causes.push(required(`${f}.name`));
    else if (!DNS1123_LABEL.test(c.name)) causes.push(invalid(`${f}.name`, c.name, LABEL_MSG));
    else if (seen.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(c.name)}`, field: `${f}.name` });
    if (c.name) seen.add(c.name);
    if (!c.image || !c.image.trim()) causes.push(required(`${f}.image`));
    for (const [kind, values] of Object.entries(c.resources ?? {})) {
      for (const [res, q] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (typeof q === 'string' && !isQuantity(q)) {
          causes.push(invalid(`${f}.resources.${kind}[${res}]`, q, "must match the regex ^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"));
        }
      }
    }
  };
  (spec.initContainers ?? []).forEach((c, i) => check(c, i, 'initContainers'));
  spec.containers.forEach((c, i) => check(c, i, 'containers'));
}
