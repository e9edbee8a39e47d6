// The deadlock lab: crossing transfers fired from the browser through the public API, counted as they are answered.
const OPENING_BALANCE = 1000;
const AMOUNT = 10;
const OUTCOMES = ['succeeded', 'deadlocks', 'conflicts', 'other'];
const COLOURS = { succeeded: '#2e7d32', deadlocks: '#c62828', conflicts: '#ef6c00', other: '#6d4c41' };

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

/** The order a newcomer meets them in: the safe default first, the deadlock demonstration last. */
const PREFERRED_ORDER = ['pessimistic', 'optimistic', 'batched', 'naive'];
const rank = (name) => (PREFERRED_ORDER.includes(name) ? PREFERRED_ORDER.indexOf(name) : PREFERRED_ORDER.length);

/** The transfer operations the service's OpenAPI document has: a disabled strategy is not in it. */
async function enabledStrategies() {
  const response = await fetch('q/openapi?format=json', { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`the OpenAPI document answered ${response.status}`);
  }
  const document = await response.json();
  return Object.entries(document.paths)
    .filter(([path, item]) => /^\/transfers\/[a-z]+$/.test(path) && item.post)
    .map(([path, item]) => ({ name: path.split('/')[2], summary: item.post.summary }))
    .sort((a, b) => rank(a.name) - rank(b.name));
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, body: answer };
}

async function openAccount(owner) {
  const opened = await call('POST', 'accounts', { owner, balance: OPENING_BALANCE });
  if (opened.status !== 201) {
    throw new Error(`opening an account answered ${opened.status} ${opened.body.type ?? ''}`);
  }
  return opened.body.id;
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
  const what = answer.status === 201 ? 'transferred' : (answer.body.title ?? 'failed');
  const attempts = answer.body.attempts > 1 ? `, ${answer.body.attempts} attempts` : '';
  item.textContent = `user ${user}: account ${from} → ${to}: ${answer.status} ${what}${attempts} (${millis} ms)`;
  answers.prepend(item);
}

async function run(strategy, users, transfersPerUser) {
  answers.replaceChildren();
  verdict.textContent = '';
  progress.textContent = '';
  const counts = { succeeded: 0, deadlocks: 0, conflicts: 0, retries: 0, other: 0 };
  show(counts);
  const first = await openAccount('Lab A');
  const second = await openAccount('Lab B');
  const total = users * transfersPerUser;
  let answered = 0;
  status.textContent = `Running ${strategy}: ${total} transfers between accounts ${first} and ${second}…`;
  const started = performance.now();

  const user = async (number) => {
    const [from, to] = number % 2 === 0 ? [first, second] : [second, first];
    for (let i = 0; i < transfersPerUser; i++) {
      const sent = performance.now();
      let answer;
      try {
        answer = await call('POST', `transfers/${strategy}`, { from, to, amount: AMOUNT });
      } catch (unreachable) {
        answer = { status: 0, body: { title: unreachable.message } };
      }
      const outcome = outcomeOf(answer);
      counts[outcome] += 1;
      counts.retries += Math.max(0, (answer.body.attempts ?? 1) - 1);
      answered += 1;
      record(number + 1, from, to, answer, outcome, Math.round(performance.now() - sent));
      show(counts);
      progress.textContent = `${answered} of ${total} answered`;
    }
  };
  await Promise.all(Array.from({ length: users }, (_, number) => user(number)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);

  lastRuns.set(strategy, counts);
  drawChart();
  const books = await checkTheBooks(first, second);
  verdict.textContent = books.text;
  verdict.className = books.good ? 'good' : 'bad';
  status.textContent = `Done: ${strategy}, ${total} transfers in ${seconds} s: ${counts.succeeded} succeeded, `
    + `${counts.deadlocks} deadlocks, ${counts.conflicts} conflicts, ${counts.retries} retries.`;
}

/**
 * The two accounts' balances against what they opened with, and the audit of all the books: good only when both
 * could be asked and both agree; otherwise the text says which could not be asked.
 */
async function checkTheBooks(first, second) {
  const [a, b] = await Promise.all([call('GET', `accounts/${first}`), call('GET', `accounts/${second}`)]);
  let money;
  let conserved = false;
  if (a.status !== 200 || b.status !== 200) {
    money = `Money could not be checked (the accounts answered ${a.status} and ${b.status})`;
  } else {
    conserved = Math.round((Number(a.body.balance) + Number(b.body.balance)) * 100) === 2 * OPENING_BALANCE * 100;
    money = `Money ${conserved ? 'conserved' : 'NOT conserved'} `
      + `(${Number(a.body.balance).toFixed(2)} + ${Number(b.body.balance).toFixed(2)})`;
  }
  const audit = await call('GET', 'audit');
  if (audit.status !== 200) {
    return { good: false, text: `${money}; the audit could not run now (${audit.status} ${audit.body.title ?? ''}).` };
  }
  const consistent = audit.body.negativeBalances === 0 && audit.body.mismatchedAccounts === 0;
  return {
    good: conserved && consistent,
    text: `${money}; audit: ${consistent ? 'the books balance' : 'INCONSISTENT'} `
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
  try {
    await run(strategySelect.value, Number(form.users.value), Number(form.transfers.value));
  } catch (failure) {
    status.textContent = `The run stopped: ${failure.message}`;
  } finally {
    runButton.disabled = false;
    runButton.focus();
  }
});

try {
  const strategies = await enabledStrategies();
  for (const strategy of strategies) {
    const option = document.createElement('option');
    option.value = strategy.name;
    option.textContent = `${strategy.name}: ${strategy.summary}`;
    strategySelect.appendChild(option);
  }
  status.textContent = `Ready: ${strategies.length} strategies. Choose one and press Run.`;
  drawChart();
} catch (failure) {
  status.textContent = `Could not read the strategies: ${failure.message}`;
  runButton.disabled = true;
}
