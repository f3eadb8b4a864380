// Small DOM helpers shared by the kiosk's screens.

export const $ = id => document.getElementById(id);

// el builds an element with text (never HTML: every string shown comes
// from the API and is treated as text).
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

const screens = ['s-loading', 's-setup', 's-attract', 's-player', 's-question', 's-result', 's-message'];
let current = 's-loading';

// show makes one screen visible and moves focus to its heading, so a
// screen reader starts there.
export function show(id) {
  for (const s of screens) $(s).hidden = s !== id;
  current = id;
  document.body.dataset.screen = id.slice(2);
  window.scrollTo(0, 0);
}
export function screen() { return current; }

// minutes formats a duration for people: 3分12秒, 5分钟, 40秒.
export function minutes(sec) {
  sec = Math.max(0, Math.round(sec));
  const m = Math.floor(sec / 60), s = sec % 60;
  if (m > 0) return s > 0 ? `${m}分${s}秒` : `${m}分钟`;
  return `${s}秒`;
}

// clock formats a countdown: 4:07.
export function clock(sec) {
  sec = Math.max(0, Math.ceil(sec));
  return `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`;
}

// points prints 10, 7.5.
export function points(n) { return String(Math.round(Number(n || 0) * 100) / 100); }

// durationSec reads a protobuf Duration in JSON ("192.5s").
export function durationSec(d) { return d ? parseFloat(String(d)) : 0; }

// speak reads text aloud in Chinese where the browser can; it returns
// false when it cannot.
export function canSpeak() { return 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function'; }
export function speak(text) {
  if (!canSpeak()) return false;
  window.speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  u.rate = 0.85;
  const voice = window.speechSynthesis.getVoices().find(v => v.lang && v.lang.replace('_', '-').startsWith('zh'));
  if (voice) u.voice = voice;
  window.speechSynthesis.speak(u);
  return true;
}
export function hush() { if (canSpeak()) window.speechSynthesis.cancel(); }
