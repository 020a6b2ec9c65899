// The simulator's side of the differential harness: asks
// @cloud-copilot/iam-simulate (strict mode) every case of cases.json, with
// the requests the linter printed for the chain cases (ours.json).
//
// node simulate.mjs cases.json ours.json > theirs.json
// (run by run.sh, which installs the simulator in a temporary directory)
import { readFileSync } from 'node:fs'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'

const [casesPath, oursPath] = process.argv.slice(2)
const cases = JSON.parse(readFileSync(casesPath, 'utf8'))
const ours = new Map(JSON.parse(readFileSync(oursPath, 'utf8')).map((o) => [o.id, o.ours]))
const ACCOUNT = '123456789012'

async function simulate({ principal, action, resource, context, identity = [], boundary = [], scps = [], resourcePolicy }) {
  const simulation = {
    request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    identityPolicies: identity.map((policy, i) => ({ name: `identity${i}`, policy })),
    serviceControlPolicies: scps.length ? [{ orgIdentifier: 'ou-example', policies: scps.map((policy, i) => ({ name: `scp${i}`, policy })) }] : [],
    resourceControlPolicies: [],
    permissionBoundaryPolicies: boundary.length ? boundary.map((policy, i) => ({ name: `boundary${i}`, policy })) : undefined,
    resourcePolicy,
  }
  let r = await runSimulation(simulation, { simulationMode: 'Strict' })
  let note
  if (r.resultType === 'error' && /must.use.wildcard/.test(r.errors?.message ?? '')) {
    // An action without resource type in the Service Authorization
    // Reference, on the ARN the service really authorizes it on
    // (logs:DescribeLogGroups on `log-group::log-stream:`): strict mode
    // accepts only `*`, so ask the same request without its validation.
    const result = runUnsafeSimulation({ ...simulation, identityPolicies: simulation.identityPolicies,
      permissionBoundaryPolicies: simulation.permissionBoundaryPolicies ?? [] }, { simulationMode: 'Strict' })
    return { verdict: typeof result === 'string' ? result : result?.result ?? 'error', note: 'unvalidated resource', ignored: [] }
  }
  if (r.resultType === 'error') return { verdict: 'error', error: r.errors?.message ?? JSON.stringify(r.errors) }
  return { verdict: r.overallResult, note, ignored: r.result?.ignoredContextKeys ?? [] }
}

// Every combination of the sample values of `keys` (a key absent when
// its sample is null).
function combinations(samples) {
  let out = [{}]
  for (const [key, values] of Object.entries(samples)) {
    out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: v })))
  }
  return out
}

function concrete(context, extra) {
  const out = {}
  for (const [k, v] of Object.entries({ ...context, ...extra })) {
    if (v === null || v === '?present') continue
    out[k] = v
  }
  return out
}

const worst = (verdicts) =>
  verdicts.includes('ExplicitlyDenied') ? 'ExplicitlyDenied'
    : verdicts.includes('ImplicitlyDenied') ? 'ImplicitlyDenied'
      : verdicts.includes('error') ? 'error' : 'Allowed'

const results = []
for (const c of cases) {
  if (c.kind === 'request') {
    const r = await simulate({ principal: c.principal, action: c.request.action, resource: c.request.resource,
      context: c.request.context, identity: c.identity, boundary: c.boundary, scps: c.scps })
    results.push({ id: c.id, theirs: r })
  } else if (c.kind === 'trust') {
    const r = await simulate({ principal: c.service, action: c.action, resource: c.role, context: c.context,
      resourcePolicy: c.trust })
    results.push({ id: c.id, theirs: { ...r, verdict: r.verdict === 'Allowed' ? 'Yes' : r.verdict === 'error' ? 'error' : 'No' } })
  } else if (c.kind === 'chain') {
    const o = ours.get(c.id)
    const perAction = {}
    const notes = new Set()
    for (const combo of combinations(c.samples)) {
      const seen = {}
      for (const req of o.requests) {
        const r = await simulate({ principal: c.principal, action: req.action, resource: req.resource,
          context: concrete(req.context, combo), ...c.sim })
        if (r.note) notes.add(`${req.action}: ${r.note}`)
        ;(seen[req.action] ??= []).push(r.verdict)
      }
      for (const [action, verdicts] of Object.entries(seen)) (perAction[action] ??= new Set()).add(worst(verdicts))
    }
    const trustVerdicts = new Set()
    for (const combo of combinations(c.samples)) {
      const r = await simulate({ principal: o.trust.service, action: 'sts:AssumeRole', resource: c.principal,
        context: concrete(o.trust.context, {}), resourcePolicy: c.sim.trust })
      trustVerdicts.add(r.verdict === 'Allowed' ? 'Yes' : 'No')
    }
    const actions = {}
    for (const [a, s] of Object.entries(perAction)) actions[a] = s.size === 1 ? [...s][0] : 'Varies'
    results.push({ id: c.id, theirs: { actions, trust: trustVerdicts.size === 1 ? [...trustVerdicts][0] : 'Varies', notes: [...notes] } })
  }
}
process.stdout.write(JSON.stringify(results, null, 1) + '\n')
