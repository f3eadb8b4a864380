// One game: the questions one at a time against the server's deadline,
// then the result. Answers and the submission are retried with the same
// request_id while the network is down, so the server counts each once.
import * as api from './api.js';
import { $, el, show, clock, minutes, points, durationSec, canSpeak, speak, hush } from './ui.js';

const MULTI = 'QUESTION_TYPE_MULTIPLE_CHOICE';
const TYPES = {
  QUESTION_TYPE_SINGLE_CHOICE: '单选题', [MULTI]: '多选题：可以选几项，选好后点“确定”', QUESTION_TYPE_TRUE_FALSE: '判断题',
};

// g is the game in progress; null between players.
let g = null;
let ticker = 0;

// stop ends the game in progress without a trace: timers, state and
// everything the game put on screen.
export function stop() {
  clearInterval(ticker);
  g = null;
  for (const id of ['q-progress', 'q-clock', 'q-meta', 'q-stem', 'q-hint', 'q-verdict', 'q-correct', 'q-explain',
    'r-title', 'r-note', 'r-score', 'r-time', 'r-rank', 'r-crank', 'r-left']) $(id).textContent = '';
  for (const id of ['q-options', 'r-top', 'r-ctop']) $(id).replaceChildren();
  $('q-feedback').hidden = true;
}

// play runs the game of a StartAttempt reply.
export function play(started, contest) {
  stop();
  const a = started.attempt;
  g = {
    attempt: a, contest, questions: started.questions || [], at: 0, chosen: new Set(),
    deadline: Date.parse(a.deadline), left: started.attemptsLeft || 0, busy: false, over: false,
  };
  bind();
  showQuestion();
  ticker = setInterval(tick, 250);
}

let bound = false;
function bind() {
  if (bound) return;
  bound = true;
  $('q-confirm').addEventListener('click', () => { if (g && g.chosen.size) answer([...g.chosen]); });
  $('q-next').addEventListener('click', () => { if (!g) return; g.at++; g.at < g.questions.length ? showQuestion() : finish(''); });
  $('q-speak').addEventListener('click', () => {
    if (!g) return;
    const q = g.questions[g.at];
    speak(q.stem + '。' + q.options.map(o => `${o.key}，${o.text}`).join('。'));
  });
}

function remaining() { return (g.deadline - api.serverNow()) / 1000; }

function tick() {
  if (!g || g.over) return;
  const r = remaining();
  $('q-clock').textContent = '剩余时间 ' + clock(r);
  $('q-clock').classList.toggle('low', r <= 30);
  if (r <= 0 && !g.busy) finish('没来得及回答的题目不计分。');
}

function showQuestion() {
  hush();
  const q = g.questions[g.at];
  g.chosen = new Set();
  $('q-progress').textContent = `第 ${g.at + 1} 题 / 共 ${g.questions.length} 题`;
  $('q-meta').textContent = [q.category, TYPES[q.type], `${points(q.points)}分`].filter(Boolean).join(' · ');
  $('q-stem').textContent = q.stem;
  $('q-hint').textContent = '';
  const box = $('q-options');
  box.replaceChildren();
  for (const o of q.options) {
    const b = el('button', '', 'option');
    b.type = 'button';
    b.dataset.key = o.key;
    b.append(el('span', o.key, 'okey'), el('span', o.text, 'otext'));
    b.addEventListener('click', () => choose(q, o.key, b));
    box.append(b);
  }
  const multi = q.type === MULTI;
  $('q-confirm').hidden = !multi;
  $('q-confirm').disabled = true;
  $('q-speak').hidden = !canSpeak();
  $('q-feedback').hidden = true;
  show('s-question');
  tick();
}

function choose(q, key, button) {
  if (g.busy || g.over || !$('q-feedback').hidden) return;
  if (q.type !== MULTI) { answer([key]); return; }
  if (g.chosen.has(key)) g.chosen.delete(key); else g.chosen.add(key);
  button.setAttribute('aria-pressed', g.chosen.has(key) ? 'true' : 'false');
  button.classList.toggle('picked', g.chosen.has(key));
  $('q-confirm').disabled = g.chosen.size === 0;
}

async function answer(keys) {
  const mine = g;
  const q = mine.questions[mine.at];
  mine.busy = true;
  for (const b of $('q-options').children) b.disabled = true;
  $('q-confirm').disabled = true;
  $('q-hint').textContent = '正在提交……';
  const body = { index: q.index, chosenKeys: keys, requestId: api.newRequestId() };
  try {
    const out = await api.call('POST', `/v1/attempts/${mine.attempt.id}/answers`, body, { until: mine.deadline });
    if (g !== mine) return;
    mine.busy = false;
    mine.attempt = out.attempt;
    feedback(q, out.result);
  } catch (e) {
    if (g !== mine) return;
    mine.busy = false;
    if (e instanceof api.ApiError && e.reason !== 'ATTEMPT_DEADLINE_PASSED' && e.reason !== 'ATTEMPT_STATE_FORBIDS' && remaining() > 0) {
      // Refused for another reason than the clock (not FAILED_PRECONDITION):
      // let the player try again.
      for (const b of $('q-options').children) b.disabled = false;
      $('q-confirm').disabled = mine.chosen.size === 0;
      $('q-hint').textContent = '没有提交成功，请再点一次您的答案。';
      return;
    }
    // Too late, or the network stayed down past the deadline: the server
    // has what it has; show that.
    finish('网络中断期间没能及时送到的答案没有计分。');
  }
}

function feedback(q, r) {
  $('q-hint').textContent = '';
  const right = new Set(r.correctKeys || []);
  for (const b of $('q-options').children) {
    if (right.has(b.dataset.key)) b.classList.add('right');
    else if ((r.chosenKeys || []).includes(b.dataset.key)) b.classList.add('wrong');
  }
  $('q-verdict').textContent = r.correct ? `✔ 回答正确！得${points(r.pointsEarned)}分` :
    (r.pointsEarned > 0 ? `部分正确，得${points(r.pointsEarned)}分` : '✘ 回答错误');
  $('q-verdict').className = 'verdict ' + (r.correct ? 'right' : 'wrong');
  const texts = q.options.filter(o => right.has(o.key)).map(o => `${o.key}. ${o.text}`);
  $('q-correct').textContent = '正确答案：' + texts.join('；');
  $('q-explain').textContent = r.explanation || '';
  $('q-next').textContent = g.at + 1 < g.questions.length ? '下一题' : '查看成绩';
  $('q-feedback').hidden = false;
  $('q-next').focus();
}

// finish submits (idempotently) and shows the result; note says why the
// game ended early, '' when the player answered everything.
async function finish(note) {
  const mine = g;
  if (!mine || mine.over) return;
  mine.over = true;
  clearInterval(ticker);
  hush();
  $('r-note').textContent = note || '';
  $('r-title').textContent = '正在统计成绩……';
  show('s-result');
  const until = Math.max(mine.deadline, api.serverNow()) + 5 * 60000;
  try {
    await api.call('POST', `/v1/attempts/${mine.attempt.id}:submit`, { requestId: api.newRequestId() }, { until });
    const res = await api.call('GET', `/v1/attempts/${mine.attempt.id}/result`, undefined, { until });
    if (g !== mine) return;
    await result(mine, res, until);
  } catch (e) {
    if (g !== mine) return;
    $('r-title').textContent = '暂时无法取得成绩';
    $('r-note').textContent = '网络一直没有恢复。您已提交的答案都保存在服务器上，成绩会出现在排行榜中。';
  }
}

async function result(mine, res, until) {
  const a = res.attempt;
  $('r-title').textContent = a.state === 'ATTEMPT_STATE_EXPIRED' ? '时间到，答题结束' : '答题完成，谢谢参与！';
  if (!$('r-note').textContent && a.answeredCount < a.questionCount) {
    $('r-note').textContent = `系统记录了您 ${a.answeredCount} 道题的答案（共 ${a.questionCount} 道）。`;
  } else if ($('r-note').textContent) {
    $('r-note').textContent += ` 系统记录了您 ${a.answeredCount} 道题的答案（共 ${a.questionCount} 道）。`;
  }
  $('r-score').textContent = `${points(a.score)} 分（满分 ${points(a.maxScore)}）`;
  $('r-time').textContent = minutes(durationSec(a.timeUsed));
  $('r-rank').textContent = res.rank > 0 ? `第 ${res.rank} 名` : '暂无';
  const local = await api.call('POST', `/v1/contests/${mine.contest.id}/leaderboard:myRank`,
    { attemptId: a.id, community: a.community }, { until }).catch(() => null);
  if (g !== mine) return;
  $('r-crank').textContent = local && local.entry ? `第 ${local.entry.rank} 名` : '暂无';
  $('r-left').textContent = mine.left > 0 ? `还可以再参加 ${mine.left} 次` : '次数已用完';
  const cid = mine.contest.id;
  const community = a.community;
  $('r-ctop-title').textContent = `${community}前十名`;
  const [top, ctop] = await Promise.all([
    api.call('GET', `/v1/contests/${cid}/leaderboard?pageSize=10`, undefined, { until }),
    api.call('GET', `/v1/contests/${cid}/leaderboard?pageSize=10&community=${encodeURIComponent(community)}`, undefined, { until }),
  ]);
  if (g !== mine) return;
  board($('r-top'), top.entries || []);
  board($('r-ctop'), ctop.entries || []);
}

function board(ol, entries) {
  ol.replaceChildren();
  if (entries.length === 0) ol.append(el('li', '还没有成绩', 'empty'));
  for (const e of entries) {
    const li = el('li');
    li.append(el('span', e.rank, 'rk'), el('span', e.displayName, 'nm'), el('span', `${points(e.score)}分`, 'sc'),
      el('span', minutes(durationSec(e.timeUsed)), 'tm'));
    ol.append(li);
  }
}
