// The deadlock lab: crossing transfers between two owners' accounts, fired from the browser through the public API with
// each sender's own token, counted as they are answered. Tokens live in the fields and in memory only: never in a URL,
// storage or the console.
const AMOUNT = 10;
const OUTCOMES = ['succeeded', 'deadlocks', 'conflicts', 'other'];
const COLOURS = { succeeded: '#2e7d32', deadlocks: '#c62828', conflicts: '#ef6c00', other: '#6d4c41' };
/** The listing's largest page, and the deepest offset the service reads (docs/api.md). */
const PAGE_SIZE = 1000;
const DEEPEST_OFFSET = 10000;
/** Dev mode's sample users whose tokens fill the fields (/dev/tokens/<user>, absent from the packaged service). */
const DEV_USERS = { 'token-a': 'Alice', 'token-b': 'Bob', 'token-auditor': 'Auditor' };

const form = document.getElementById('lab');
const strategySelect = document.getElementById('strategy');
const runButton = document.getElementById('run');
const status = document.getElementById('status');
const progress = document.getElementById('progress');
const verdict = document.getElementById('verdict');
const answers = document.getElementById('answers');
const chart = document.getElementById('chart');
/** The counts of the last run of each strategy, for the chart. */
const lastRuns = new Map();

/** A reason not to run that the user can act on, shown as it is; nothing was moved. */
class NotRun extends Error {}

/** The order a newcomer meets them in: the safe default first, the deadlock demonstration last. */
const PREFERRED_ORDER = ['pessimistic', 'optimistic', 'batched', 'naive'];
const rank = (name) => (PREFERRED_ORDER.includes(name) ? PREFERRED_ORDER.indexOf(name) : PREFERRED_ORDER.length);

/**
 * The transfer operations the service's OpenAPI document has: a disabled strategy is not in it. POST /transfers/bulk is
 * not a strategy (it sends many transfers through batched).
 */
async function enabledStrategies() {
  const response = await fetch('q/openapi?format=json', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`the OpenAPI document answered ${response.status}`);
  }
  const document = await response.json();
  return Object.entries(document.paths)
    .filter(([path, item]) => /^\/transfers\/[a-z]+$/.test(path) && path !== '/transfers/bulk' && item.post)
    .map(([path, item]) => ({ name: path.split('/')[2], summary: item.post.summary }))
    .sort((a, b) => rank(a.name) - rank(b.name));
}

/** Fills the empty token fields with dev mode's sample users' tokens; true if it did (elsewhere there are none). */
async function fillDevTokens() {
  const filled = await Promise.all(Object.entries(DEV_USERS).map(async ([id, user]) => {
    const response = await fetch(`dev/tokens/${user}`).catch(() => null);
    const token = response?.ok ? (await response.text()).trim() : '';
    const field = document.getElementById(id);
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) || field.value !== '') {
      return false;
    }
    field.value = token;
    return true;
  }));
  return filled.some(Boolean);
}

async function call(method, path, token, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, body: answer };
}

/** A refusal as a reader understands it: the problem's title and detail. */
function problemText(answer) {
  const title = answer.body.title ?? 'failed';
  return answer.body.detail ? `${answer.status} ${title}: ${answer.body.detail}` : `${answer.status} ${title}`;
}

/** The token's subject, read (not verified: the service does that) to tell the owners apart; null if unreadable. */
function subjectOf(token) {
  try {
    const claims = atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(claims, (c) => c.charCodeAt(0)))).sub ?? null;
  } catch {
    return null;
  }
}

/** The token in a field, without the "Bearer " a paste may bring along. */
function tokenIn(id) {
  return document.getElementById(id).value.trim().replace(/^Bearer\s+/i, '');
}

/**
 * The owner's first account with money in it. The listing is the caller's own accounts, or every account for a teller
 * or an auditor; either way only the owner's may be debited with the owner's token.
 */
async function firstFundedAccount(owner) {
  for (let page = 0; page * PAGE_SIZE <= DEEPEST_OFFSET; page += 1) {
    const listed = await call('GET', `accounts?page=${page}&size=${PAGE_SIZE}`, owner.token);
    if (listed.status !== 200) {
      throw new NotRun(`${owner.name}'s accounts could not be read: ${problemText(listed)}. Nothing was moved.`);
    }
    const funded = listed.body.find((account) => account.owner === owner.subject && Number(account.balance) > 0);
    if (funded !== undefined || listed.body.length < PAGE_SIZE) {
      return funded;
    }
  }
  return undefined;
}

/** Owner A and owner B with their funded accounts, or the reason they cannot run. */
async function owners() {
  const [a, b] = [{ name: 'Owner A', token: tokenIn('token-a') }, { name: 'Owner B', token: tokenIn('token-b') }];
  if (a.token === '' || b.token === '') {
    throw new NotRun('Run needs owner A\'s and owner B\'s tokens: paste a bearer token (JWT) of each owner above '
      + '(dev mode fills them in itself). Nothing was sent.');
  }
  [a.subject, b.subject] = [subjectOf(a.token), subjectOf(b.token)];
  if (a.subject !== null && a.subject === b.subject) {
    throw new NotRun(`Owner A and owner B are the same subject (${a.subject}): crossing transfers need two owners. `
      + 'Nothing was sent.');
  }
  [a.account, b.account] = await Promise.all([firstFundedAccount(a), firstFundedAccount(b)]);
  for (const owner of [a, b]) {
    if (owner.account === undefined) {
      throw new NotRun(`${owner.name} (${owner.subject}) has no account with money in it; a teller opens one with an `
        + 'opening balance. Nothing was moved.');
    }
  }
  return [a, b];
}

function outcomeOf(answer) {
  if (answer.status === 201) {
    return 'succeeded';
  }
  if (answer.status === 409) {
    return answer.body.type === '/problems/deadlock' ? 'deadlocks' : 'conflicts';
  }
  return 'other';
}

function show(counts) {
  for (const [name, value] of Object.entries(counts)) {
    document.querySelector(`[data-count="${name}"]`).textContent = String(value);
  }
}

function record(user, from, to, answer, outcome, millis) {
  const item = document.createElement('li');
  item.className = outcome;
  // Refusals of the caller (401, 403, 404) say what went wrong in their detail; the others' titles say enough.
  let what = `${answer.status} ${answer.body.title ?? 'failed'}`;
  if (answer.status === 201) {
    what = '201 transferred';
  } else if ([401, 403, 404].includes(answer.status)) {
    what = problemText(answer);
  }
  const attempts = answer.body.attempts > 1 ? `, ${answer.body.attempts} attempts` : '';
  item.textContent = `user ${user}: account ${from} → ${to}: ${what}${attempts} (${millis} ms)`;
  answers.prepend(item);
}

const cents = (balance) => Math.round(Number(balance) * 100);
const money = (centsValue) => (centsValue / 100).toFixed(2);

async function run(strategy, users, transfersPerUser) {
  const [a, b] = await owners();
  const auditorToken = tokenIn('token-auditor');
  answers.replaceChildren();
  progress.textContent = '';
  const counts = { succeeded: 0, deadlocks: 0, conflicts: 0, retries: 0, other: 0 };
  show(counts);
  const before = cents(a.account.balance) + cents(b.account.balance);
  const total = users * transfersPerUser;
  let answered = 0;
  status.textContent = `Running ${strategy}: ${total} transfers between ${a.subject}'s account ${a.account.id} and `
    + `${b.subject}'s account ${b.account.id}…`;
  const started = performance.now();

  const user = async (number) => {
    const [sender, receiver] = number % 2 === 0 ? [a, b] : [b, a];
    for (let i = 0; i < transfersPerUser; i++) {
      const sent = performance.now();
      let answer;
      try {
        answer = await call('POST', `transfers/${strategy}`, sender.token,
          { from: sender.account.id, to: receiver.account.id, amount: AMOUNT });
      } catch (unreachable) {
        answer = { status: 0, body: { title: unreachable.message } };
      }
      const outcome = outcomeOf(answer);
      counts[outcome] += 1;
      counts.retries += Math.max(0, (answer.body.attempts ?? 1) - 1);
      answered += 1;
      record(number + 1, sender.account.id, receiver.account.id, answer, outcome,
        Math.round(performance.now() - sent));
      show(counts);
      progress.textContent = `${answered} of ${total} answered`;
    }
  };
  await Promise.all(Array.from({ length: users }, (_, number) => user(number)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  lastRuns.set(strategy, counts);
  drawChart();
  const books = await checkTheBooks(a, b, before, auditorToken);
  verdict.textContent = books.text;
  verdict.className = books.good ? 'good' : 'bad';
  status.textContent = `Done: ${strategy}, ${total} transfers in ${seconds} s: ${counts.succeeded} succeeded, `
    + `${counts.deadlocks} deadlocks, ${counts.conflicts} conflicts, ${counts.retries} retries.`;
}

/**
 * The two accounts' balances against what they held before the run (read with their owners' tokens), and, given an
 * auditor's token, the audit of all the books: good only when every check that ran agrees; the text says which could
 * not run.
 */
async function checkTheBooks(a, b, before, auditorToken) {
  const [afterA, afterB] = await Promise.all([call('GET', `accounts/${a.account.id}`, a.token),
    call('GET', `accounts/${b.account.id}`, b.token)]);
  let moneyText;
  let conserved = false;
  if (afterA.status !== 200 || afterB.status !== 200) {
    moneyText = `Money could not be checked (the accounts answered ${problemText(afterA)} and ${problemText(afterB)})`;
  } else {
    const after = cents(afterA.body.balance) + cents(afterB.body.balance);
    conserved = after === before;
    moneyText = `Money ${conserved ? 'conserved' : 'NOT conserved'} (${money(cents(afterA.body.balance))} + `
      + `${money(cents(afterB.body.balance))} = ${money(after)}, ${money(before)} before the run)`;
  }
  if (auditorToken === '') {
    return { good: conserved, text: `${moneyText}; the books were not audited (no auditor's token).` };
  }
  const audit = await call('GET', 'audit', auditorToken);
  if (audit.status !== 200) {
    return { good: false, text: `${moneyText}; the audit could not run (${problemText(audit)}).` };
  }
  const consistent = audit.body.negativeBalances === 0 && audit.body.mismatchedAccounts === 0;
  return {
    good: conserved && consistent,
    text: `${moneyText}; audit: ${consistent ? 'the books balance' : 'INCONSISTENT'} `
      + `(${audit.body.accounts} accounts, ${audit.body.transfers} transfers).`,
  };
}

/** Grouped bars: for each strategy run, one bar per outcome, scaled to the largest count. */
function drawChart() {
  const svg = 'http://www.w3.org/2000/svg';
  const runs = [...lastRuns.entries()];
  const largest = Math.max(1, ...runs.flatMap(([, counts]) => OUTCOMES.map((outcome) => counts[outcome])));
  const width = 360;
  const plotHeight = 140;
  const groupWidth = width / Math.max(runs.length, 1);
  const barWidth = Math.min(24, (groupWidth - 16) / OUTCOMES.length);
  chart.replaceChildren();
  const element = (name, attributes, text) => {
    const node = document.createElementNS(svg, name);
    Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
    if (text !== undefined) {
      node.textContent = text;
    }
    chart.appendChild(node);
  };
  runs.forEach(([strategy, counts], group) => {
    const left = group * groupWidth + (groupWidth - barWidth * OUTCOMES.length) / 2;
    OUTCOMES.forEach((outcome, index) => {
      const height = (counts[outcome] / largest) * plotHeight;
      element('rect', { x: left + index * barWidth, y: 10 + plotHeight - height, width: barWidth - 2,
        height, fill: COLOURS[outcome] }, undefined);
      element('text', { x: left + index * barWidth + barWidth / 2 - 1, y: 6 + plotHeight - height,
        'text-anchor': 'middle', 'font-size': 9 }, String(counts[outcome]));
    });
    element('text', { x: group * groupWidth + groupWidth / 2, y: plotHeight + 26, 'text-anchor': 'middle',
      'font-size': 12 }, strategy);
  });
  OUTCOMES.forEach((outcome, index) => {
    element('rect', { x: 8 + index * 88, y: plotHeight + 38, width: 10, height: 10, fill: COLOURS[outcome] });
    element('text', { x: 22 + index * 88, y: plotHeight + 47, 'font-size': 11 }, outcome);
  });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!form.reportValidity()) {
    return;
  }
  runButton.disabled = true;
  verdict.textContent = '';
  try {
    await run(strategySelect.value, Number(form.users.value), Number(form.transfers.value));
  } catch (failure) {
    status.textContent = failure instanceof NotRun ? failure.message : `The run stopped: ${failure.message}`;
  } finally {
    runButton.disabled = false;
    runButton.focus();
  }
});

try {
  const [strategies, devTokens] = await Promise.all([enabledStrategies(), fillDevTokens()]);
  for (const strategy of strategies) {
    const option = document.createElement('option');
    option.value = strategy.name;
    option.textContent = `${strategy.name}: ${strategy.summary}`;
    strategySelect.appendChild(option);
  }
  status.textContent = `Ready: ${strategies.length} strategies. `
    + (devTokens ? 'Dev mode filled in the sample users\' tokens (Alice, Bob, Auditor). Choose a strategy and press Run.'
      : 'Paste owner A\'s and owner B\'s tokens, choose a strategy and press Run.');
  drawChart();
} catch (failure) {
  status.textContent = `Could not read the strategies: ${failure.message}`;
  runButton.disabled = true;
}
