// The kiosk app: setup, the attract screen, who is playing, and keeping
// one player's data away from the next.
import * as api from './api.js';
import { $, el, show, screen, minutes, hush } from './ui.js';
import * as game from './game.js';

const state = { kiosk: null, contests: [], shown: 0, contest: null, phone: '' };
const idleSeconds = Number(document.body.dataset.idle) || 90;
let attractTimer = 0;

api.onNetwork(down => { $('net').hidden = !down; });

// ---- setup ----

async function checkKey(key) {
  const out = $('setup-result');
  out.replaceChildren();
  try {
    const k = await api.kiosk(key);
    if (k.role !== 'kiosk') {
      out.append(el('p', `这是“${k.role}”角色的密钥，不能用在答题机上。请换一个答题机（kiosk）密钥。`, 'error'));
      return null;
    }
    out.append(el('p', `密钥有效：${k.keyName}`, 'ok'));
    out.append(el('p', k.community ? `这台答题机属于：${k.community}` :
      '这个密钥没有限定社区，居民开始答题时需要自己填写所在社区。', 'ok'));
    return k;
  } catch (err) {
    out.append(el('p', err.status === 401 ? '密钥不正确或已被吊销，请核对后重新输入。' :
      '暂时连不上服务器，请检查网络后再试。', 'error'));
    return null;
  }
}

function setupScreen() {
  show('s-setup');
  $('setup-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const key = $('setup-key').value.trim();
    if (!key) return;
    if (await checkKey(key)) {
      api.saveKey(key);
      $('setup-key').value = '';
      $('setup-go').hidden = false;
    }
  });
  $('setup-go').addEventListener('click', () => location.replace('/kiosk' + location.search));
  $('setup-clear').addEventListener('click', () => {
    api.forgetKey();
    $('setup-result').replaceChildren(el('p', '已清除本机保存的密钥。', 'ok'));
    $('setup-go').hidden = true;
  });
  if (api.savedKey()) {
    checkKey(api.savedKey()).then(k => { $('setup-go').hidden = !k; });
  }
}

// ---- attract ----

async function attract() {
  wipe();
  show('s-attract');
  try {
    state.kiosk = await api.kiosk(api.savedKey());
    const list = await api.call('GET', '/v1/open-contests?pageSize=20');
    state.contests = list.contests || [];
  } catch (err) {
    if (err.status === 401 || err.status === 403) { location.replace('/kiosk/setup' + location.search); return; }
    $('attract-card').replaceChildren(el('h1', '暂时连不上服务器'), el('p', '请稍候，稍后会自动重试。', 'big'));
    $('attract-start').hidden = true;
    attractTimer = setTimeout(attract, 10000);
    return;
  }
  $('attract-where').textContent = state.kiosk.community ? `${state.kiosk.community} · 文明礼仪知识竞赛` : '文明礼仪知识竞赛';
  state.shown = 0;
  cycle();
}

function cycle() {
  clearTimeout(attractTimer);
  const cs = state.contests;
  const card = $('attract-card');
  $('attract-start').hidden = cs.length === 0;
  $('attract-next').hidden = cs.length < 2;
  if (cs.length === 0) {
    card.replaceChildren(el('h1', '目前没有正在进行的竞赛'), el('p', '欢迎下次再来！', 'big'));
    attractTimer = setTimeout(attract, 60000);
    return;
  }
  const c = cs[state.shown % cs.length];
  const s = c.settings;
  card.replaceChildren(
    el('h1', s.title),
    el('p', s.description, 'big'),
    el('p', `共${c.questionCount}道题，限时${minutes(s.timeLimitSeconds)}，每人可参加${s.attemptsAllowed}次。`, 'big'),
    el('p', s.organiser ? `主办：${s.organiser}` : '', 'note'));
  $('attract-start').dataset.contest = c.id;
  $('attract-dots').textContent = cs.length > 1 ? cs.map((_, i) => i === state.shown % cs.length ? '●' : '○').join(' ') : '';
  state.shown++;
  attractTimer = setTimeout(cycle, 8000);
}

// ---- who is playing ----

function playerScreen(contestID) {
  clearTimeout(attractTimer);
  state.contest = state.contests.find(c => c.id === contestID) || null;
  if (!state.contest) return;
  state.phone = '';
  $('player-name').value = '';
  $('player-community').value = '';
  $('community-box').hidden = !!(state.kiosk && state.kiosk.community);
  $('player-error').textContent = '';
  renderPhone();
  show('s-player');
  $('player-name').focus();
}

function renderPhone() {
  const p = state.phone;
  $('player-phone').textContent = p ? [p.slice(0, 3), p.slice(3, 7), p.slice(7)].filter(Boolean).join(' ') : '请用下面的数字键输入';
}

function buildKeypad() {
  const pad = $('keypad');
  for (const k of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '清空', '0', '删除']) {
    const b = el('button', k, /\d/.test(k) ? 'key' : 'key fn');
    b.type = 'button';
    b.addEventListener('click', () => {
      if (k === '删除') state.phone = state.phone.slice(0, -1);
      else if (k === '清空') state.phone = '';
      else if (state.phone.length < 11) state.phone += k;
      renderPhone();
    });
    pad.append(b);
  }
}

async function startGame() {
  const name = $('player-name').value.trim();
  const community = $('player-community').value.trim();
  const err = $('player-error');
  if (!name) { err.textContent = '请先填写您的称呼。'; return; }
  if (!/^1\d{10}$/.test(state.phone)) { err.textContent = '请用数字键输入11位手机号码。'; return; }
  if (!$('community-box').hidden && !community) { err.textContent = '请填写您所在的社区。'; return; }
  err.textContent = '';
  $('player-go').disabled = true;
  const body = { displayName: name, participantIdentifier: state.phone, requestId: api.newRequestId() };
  if (!$('community-box').hidden) body.community = community;
  state.phone = '';
  renderPhone();
  try {
    await api.kiosk(api.savedKey()); // a fresh clock offset for the countdown
    const started = await api.call('POST', `/v1/contests/${state.contest.id}/attempts`, body, { until: api.serverNow() + 20000 });
    game.play(started, state.contest);
  } catch (e) {
    refused(e);
  } finally {
    $('player-go').disabled = false;
  }
}

// refused explains in plain Chinese why a game could not start.
function refused(e) {
  let title = '暂时不能开始答题', text = '服务器暂时没有响应，请稍后再试。';
  if (e.reason === 'ATTEMPT_LIMIT_REACHED') {
    const n = e.meta.attempts_allowed;
    title = '您的答题次数已经用完了';
    text = `这个竞赛每人最多可以参加${n}次，这个手机号已经参加过${n}次了，所以不能再答了。感谢您的参与！`;
  } else if (e.fields && e.fields.includes('display_name')) {
    text = '称呼太长或含有不能使用的字符，请换一个称呼。';
  } else if (e.fields && e.fields.includes('participant_identifier')) {
    text = '手机号码不正确，请重新输入。';
  } else if (e.reason === 'COMMUNITY_MISMATCH') {
    text = '这个竞赛只面向其他社区的居民，请回到首页选择其他竞赛。';
  } else if (e.status === 400 || e.status === 409) {
    text = '这个竞赛现在不能参加了（可能已经结束），请回到首页选择其他竞赛。';
  } else if (e.status === 429) {
    text = '现在答题的人太多，请等一会儿再试。';
  }
  message(title, text);
}

function message(title, text) {
  $('m-title').textContent = title;
  $('m-text').textContent = text;
  show('s-message');
}

// ---- privacy between players ----

// wipe forgets the previous player: state, every field and rendered text,
// speech, storage other than the key, and the history entry's state.
function wipe() {
  clearTimeout(attractTimer);
  game.stop();
  hush();
  state.contest = null;
  state.phone = '';
  for (const id of ['player-name', 'player-community']) $(id).value = '';
  for (const id of ['player-error', 'player-phone', 'm-title', 'm-text']) $(id).textContent = '';
  api.wipeStorage();
  history.replaceState(null, '', location.pathname + location.search);
  $('idle').hidden = true;
}

let lastTouch = Date.now();
function touched() { lastTouch = Date.now(); $('idle').hidden = true; }

function watchIdle() {
  for (const ev of ['pointerdown', 'keydown', 'input']) document.addEventListener(ev, touched, true);
  const warnAt = Math.max(idleSeconds - 15, Math.ceil(idleSeconds * 2 / 3));
  setInterval(() => {
    const s = screen();
    if (s === 's-attract' || s === 's-setup' || s === 's-loading') return;
    const idle = (Date.now() - lastTouch) / 1000;
    if (idle >= idleSeconds) attract();
    else if (idle >= warnAt) $('idle').hidden = false;
  }, 500);
}

// ---- boot ----

function boot() {
  if (document.body.dataset.setup || !api.savedKey()) { setupScreen(); return; }
  buildKeypad();
  $('attract-start').addEventListener('click', ev => playerScreen(ev.currentTarget.dataset.contest));
  $('attract-next').addEventListener('click', cycle);
  $('player-back').addEventListener('click', attract);
  $('player-go').addEventListener('click', startGame);
  $('m-home').addEventListener('click', attract);
  $('r-home').addEventListener('click', attract);
  $('idle-stay').addEventListener('click', touched);
  watchIdle();
  attract();
}

boot();
