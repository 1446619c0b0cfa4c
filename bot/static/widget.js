/* Trợ lý ảo TTHC: the web chat widget. One tag embeds it:
 *   <script src="https://HOST/widget.js" data-title="..." data-color="#b71c1c" defer></script>
 * It talks to the gateway that served this file (POST api/v1/messages, GET api/v1/history/<id>),
 * renders every text with text nodes only, and lives in a Shadow DOM so the host page's CSS
 * cannot reach it. Plain JavaScript, no dependencies, no external requests. */
(function () {
  'use strict';
  if (window.__tthcWidget) return;
  window.__tthcWidget = true;

  var STR = {
    open: 'Mở trợ lý ảo',
    close: 'Đóng',
    title: 'Trợ lý ảo TTHC',
    subtitle: 'Hỏi đáp thủ tục hành chính',
    hint: 'Nhập câu hỏi của bạn…',
    inputLabel: 'Câu hỏi của bạn',
    send: 'Gửi',
    sending: 'đang gửi…',
    offline: 'Mất kết nối, đang thử lại…',
    busy: 'Hệ thống đang bận, đang thử lại…',
    failed: 'Chưa gửi được',
    retry: 'Gửi lại',
    error: 'Xin lỗi, đã có lỗi xảy ra. Bạn vui lòng thử lại sau ít phút.',
    historyRetry: 'Đang tải cuộc trò chuyện…',
    log: 'Cuộc trò chuyện',
    quick: 'Gợi ý trả lời',
    you: 'Bạn: ',
    bot: 'Trợ lý: ',
    thumbUp: 'Câu trả lời hữu ích',
    thumbDown: 'Câu trả lời chưa hữu ích',
    counter: 'ký tự'
  };
  var KEYS = {
    session: 'tthc-widget-session',
    outbox: 'tthc-widget-outbox',
    titles: 'tthc-widget-titles',
    open: 'tthc-widget-open'
  };
  var MAX_LEN = 1000;
  var NEAR_LIMIT = 900;
  var TIMEOUT_MS = 30000;
  var GREET = '/greet';
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || !script.src) return;
  var BASE = new URL('.', script.src).href;
  var title = (script.getAttribute('data-title') || '').trim() || STR.title;
  var color = script.getAttribute('data-color') || '';
  if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) color = '#b71c1c';

  /* ---- colours: white or near-black text on data-color, whichever contrasts more ---- */
  function luminance(hex) {
    var h = hex.slice(1);
    if (h.length === 3) h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2];
    var c = [0, 2, 4].map(function (i) {
      var v = parseInt(h.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  var DARK = '#1a1a1a';
  var onColor = contrast(color, '#ffffff') >= contrast(color, DARK) ? '#ffffff' : DARK;
  // data-color as text on the light bubbles only when it passes AA there.
  var ink = contrast(color, '#f1f3f5') >= 4.5 ? color : DARK;

  /* ---- storage (may be unavailable: private mode, blocked cookies) ---- */
  function load(store, key) {
    try { return window[store].getItem(key); } catch (e) { return null; }
  }
  function save(store, key, value) {
    try {
      if (value === null) window[store].removeItem(key);
      else window[store].setItem(key, value);
    } catch (e) { /* the conversation still works for this page view */ }
  }
  function loadJSON(key, fallback) {
    try { return JSON.parse(load('localStorage', key)) || fallback; } catch (e) { return fallback; }
  }
  function randomId(n) {
    var bytes = new Uint8Array(n), s = '';
    window.crypto.getRandomValues(bytes);
    for (var i = 0; i < n; i++) s += ALPHABET[bytes[i] & 63];
    return s;
  }
  var session = load('localStorage', KEYS.session);
  if (!session || !/^[A-Za-z0-9_-]{22,64}$/.test(session)) {
    session = randomId(24);
    save('localStorage', KEYS.session, session);
  }
  var titles = loadJSON(KEYS.titles, {});
  function rememberTitle(payload, label) {
    titles[payload] = label;
    var keys = Object.keys(titles);
    if (keys.length > 100) delete titles[keys[0]];
    save('localStorage', KEYS.titles, JSON.stringify(titles));
  }

  /* ---- DOM helpers: text only, never HTML ---- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function icon(d, stroke) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    if (stroke) {
      p.setAttribute('fill', 'none');
      p.setAttribute('stroke', 'currentColor');
      p.setAttribute('stroke-width', '2.4');
      p.setAttribute('stroke-linecap', 'round');
    } else {
      p.setAttribute('fill', 'currentColor');
    }
    svg.appendChild(p);
    return svg;
  }
  function safeHref(candidate) {
    try {
      var u = new URL(candidate);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch (e) { return null; }
  }
  // Appends text to parent, turning http(s) URLs into links; everything else is a text node.
  function appendText(parent, text) {
    var last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      var url = m[0];
      while (/[.,;:!?)\]}»"'…]$/.test(url)) {
        if (url.slice(-1) === ')' && url.split('(').length > url.split(')').length - 1) break;
        url = url.slice(0, -1);
      }
      var href = safeHref(url);
      if (!href) continue;
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = el('a', null, url);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parent.appendChild(a);
      last = m.index + url.length;
      URL_RE.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function timeEl(iso) {
    var d = new Date(iso || Date.now());
    if (isNaN(d.getTime())) d = new Date();
    var t = el('time', 'tthc-time', pad(d.getHours()) + ':' + pad(d.getMinutes()));
    t.dateTime = d.toISOString();
    return t;
  }

  /* ---- styles (adopted stylesheet: not blocked by a host page's style-src CSP) ---- */
  var CSS = [
    ':host{all:initial}',
    // Set on both roots, not inherited from :host, which a page's !important rules could reach.
    '.tthc-launcher,.tthc-panel{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1a1a1a;text-align:left;letter-spacing:normal;text-transform:none;visibility:visible}',
    '*,*::before,*::after{box-sizing:border-box}',
    '[hidden]{display:none!important}',
    'button,textarea{font:inherit;color:inherit;margin:0}',
    'button{cursor:pointer}',
    ':focus-visible{outline:3px solid ' + ink + ';outline-offset:2px}',
    '.tthc-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;padding:0;border:0;border-radius:50%;background:' + color + ';color:' + onColor + ';box-shadow:0 4px 14px rgba(0,0,0,.3);display:flex;align-items:center;justify-content:center}',
    '.tthc-launcher svg{width:30px;height:30px}',
    '.tthc-launcher:hover{transform:scale(1.06)}',
    '.tthc-launcher:focus-visible{outline:3px solid ' + DARK + ';outline-offset:3px;box-shadow:0 0 0 3px #fff}',
    '.tthc-panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:390px;max-width:calc(100vw - 40px);height:640px;max-height:calc(100vh - 40px);display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden;animation:tthc-in .18s ease-out}',
    '@keyframes tthc-in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}',
    '@media (max-width:480px){.tthc-panel{top:0;left:0;right:0;bottom:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}',
    '.tthc-head{display:flex;align-items:center;gap:8px;padding:10px 8px 10px 16px;background:' + color + ';color:' + onColor + '}',
    '.tthc-heading{flex:1;min-width:0}',
    '.tthc-title{font-weight:700;font-size:16px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}',
    '.tthc-sub{font-size:13px}',
    '.tthc-close{width:40px;height:40px;flex:none;padding:0;border:0;border-radius:8px;background:transparent;display:flex;align-items:center;justify-content:center}',
    '.tthc-close svg{width:22px;height:22px}',
    '.tthc-close:hover{background:rgba(128,128,128,.3)}',
    '.tthc-close:focus-visible{outline:3px solid ' + onColor + ';outline-offset:-3px}',
    '.tthc-status{padding:6px 14px;background:#fff4e5;color:#5c2b00;font-size:13px;border-bottom:1px solid #f0d9b5}',
    '.tthc-log{flex:1;position:relative;display:flex;flex-direction:column;gap:12px;overflow-y:auto;overscroll-behavior:contain;padding:14px 12px}',
    '.tthc-log>*{flex:none}',
    '.tthc-log:focus-visible{outline-offset:-3px}',
    '.tthc-msg{display:flex;flex-direction:column;max-width:88%}',
    '.tthc-msg-user{align-self:flex-end;align-items:flex-end}',
    '.tthc-msg-bot{align-self:flex-start;align-items:flex-start}',
    '.tthc-bubble{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}',
    '.tthc-msg-user .tthc-bubble{background:' + color + ';color:' + onColor + ';border-bottom-right-radius:4px}',
    '.tthc-msg-bot .tthc-bubble{background:#f1f3f5;border-bottom-left-radius:4px}',
    '.tthc-bubble a{color:inherit;text-decoration:underline}',
    '.tthc-msg-bot .tthc-bubble a{color:' + ink + '}',
    '.tthc-meta{display:flex;gap:8px;align-items:center;font-size:12px;color:#5f6368;margin-top:3px;padding:0 4px}',
    '.tthc-msg-failed .tthc-meta{color:#b3261e}',
    '.tthc-quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}',
    '.tthc-qr{padding:6px 12px;border:1px solid ' + ink + ';border-radius:16px;background:#fff;color:' + ink + ';font-size:14px;line-height:1.3;text-align:left}',
    '.tthc-qr:hover{background:' + color + ';border-color:' + color + ';color:' + onColor + '}',
    '.tthc-qr-fb{padding:3px 10px;font-size:17px;border-color:#8a8f98}',
    '.tthc-retry{padding:2px 10px;border:1px solid #b3261e;border-radius:12px;background:#fff;color:#b3261e;font-size:12px}',
    '.tthc-notice{align-self:center;max-width:95%;padding:6px 10px;border-radius:8px;background:#fff4e5;color:#5c2b00;font-size:13px;text-align:center}',
    '.tthc-typing{display:flex;gap:4px;align-self:flex-start;padding:11px 14px;border-radius:14px;background:#f1f3f5}',
    '.tthc-typing span{width:7px;height:7px;border-radius:50%;background:#5f6368;animation:tthc-dot 1.2s infinite}',
    '.tthc-typing span:nth-child(2){animation-delay:.2s}.tthc-typing span:nth-child(3){animation-delay:.4s}',
    '@keyframes tthc-dot{0%,60%,100%{opacity:.4;transform:none}30%{opacity:1;transform:translateY(-4px)}}',
    '.tthc-form{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid #dadce0}',
    '.tthc-input{flex:1;min-width:0;min-height:44px;max-height:140px;padding:10px 12px;border:1px solid #80868b;border-radius:10px;background:#fff;color:#1a1a1a;font-size:16px;line-height:1.4;resize:none}',
    '.tthc-input::placeholder{color:#5f6368;opacity:1}',
    '.tthc-input:focus-visible{outline:2px solid ' + ink + ';outline-offset:0;border-color:' + ink + '}',
    '.tthc-send{flex:none;height:44px;padding:0 18px;border:0;border-radius:10px;background:' + color + ';color:' + onColor + ';font-weight:700}',
    '.tthc-counter{padding:0 12px 6px;font-size:12px;color:#5f6368;text-align:right}',
    '.tthc-counter-full{color:#b3261e;font-weight:700}',
    '.tthc-sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}',
    '@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}',
    '@media print{.tthc-launcher,.tthc-panel{display:none!important}}'
  ].join('\n');

  /* ---- the widget ---- */
  var root, launcher, panel, log, typing, statusBar, form, input, counter;
  var outbox = loadJSON(KEYS.outbox, []).filter(function (m) { return m && m.id && typeof m.text === 'string'; });
  var seen = {};
  var POLL_MS = 15000;
  var historyState = 'idle';
  var busy = false;
  var attempt = 0;
  var wake = null;

  function build() {
    var host = el('div');
    host.id = 'tthc-widget';
    root = host.attachShadow({ mode: 'open' });
    if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el('style', null, CSS));
    }

    launcher = el('button', 'tthc-launcher');
    launcher.type = 'button';
    launcher.setAttribute('aria-label', STR.open);
    launcher.title = STR.open;
    launcher.setAttribute('aria-haspopup', 'dialog');
    launcher.setAttribute('aria-controls', 'tthc-panel');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.appendChild(icon('M5 3h14a3 3 0 0 1 3 3v9a3 3 0 0 1-3 3h-7l-5 4v-4H5a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3zm2 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z'));
    launcher.addEventListener('click', function (e) { open(e); });

    panel = el('div', 'tthc-panel');
    panel.id = 'tthc-panel';
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', title);
    panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !e.isComposing) {
        e.preventDefault();
        close();
      }
    });

    var head = el('div', 'tthc-head');
    var heading = el('div', 'tthc-heading');
    heading.appendChild(el('div', 'tthc-title', title));
    heading.appendChild(el('div', 'tthc-sub', STR.subtitle));
    var closeBtn = el('button', 'tthc-close');
    closeBtn.type = 'button';
    closeBtn.setAttribute('aria-label', STR.close);
    closeBtn.title = STR.close;
    closeBtn.appendChild(icon('M6 6l12 12M18 6L6 18', true));
    closeBtn.addEventListener('click', close);
    head.appendChild(heading);
    head.appendChild(closeBtn);

    statusBar = el('div', 'tthc-status');
    statusBar.setAttribute('role', 'status');
    statusBar.hidden = true;

    // The log scrolls and takes focus, so it can be read and scrolled by keyboard.
    log = el('div', 'tthc-log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', STR.log);
    log.tabIndex = 0;
    typing = el('div', 'tthc-typing');
    typing.setAttribute('aria-hidden', 'true');
    typing.hidden = true;
    for (var i = 0; i < 3; i++) typing.appendChild(el('span'));
    log.appendChild(typing);

    form = el('form', 'tthc-form');
    form.noValidate = true;
    input = el('textarea', 'tthc-input');
    input.rows = 1;
    input.maxLength = MAX_LEN;
    input.placeholder = STR.hint;
    input.setAttribute('aria-label', STR.inputLabel);
    input.setAttribute('aria-describedby', 'tthc-counter');
    input.setAttribute('enterkeyhint', 'send');
    input.autocomplete = 'off';
    var send = el('button', 'tthc-send', STR.send);
    send.type = 'submit';
    form.appendChild(input);
    form.appendChild(send);
    counter = el('div', 'tthc-counter');
    counter.id = 'tthc-counter';
    counter.hidden = true;

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      sendInput();
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        sendInput();
      }
    });
    input.addEventListener('input', onInput);

    panel.appendChild(head);
    panel.appendChild(statusBar);
    panel.appendChild(log);
    panel.appendChild(form);
    panel.appendChild(counter);
    root.appendChild(launcher);
    root.appendChild(panel);
    document.body.appendChild(host);
  }

  function onInput() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 140) + 'px';
    var n = input.value.length;
    counter.hidden = n < NEAR_LIMIT;
    counter.textContent = n + '/' + MAX_LEN + ' ' + STR.counter;
    counter.className = 'tthc-counter' + (n >= MAX_LEN ? ' tthc-counter-full' : '');
  }

  // Keyboard and mouse users land in the input; a tap on a phone does not pop the keyboard up.
  function focusInput(e) {
    if (e && e.detail > 0 && window.matchMedia && matchMedia('(pointer: coarse)').matches) return;
    input.focus();
  }

  function open(e) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    save('sessionStorage', KEYS.open, '1');
    scrollToEnd();
    if (e) focusInput(e);
    if (historyState === 'idle') loadHistory();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    save('sessionStorage', KEYS.open, null);
    launcher.focus();
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function setStatus(text) {
    statusBar.textContent = text || '';
    statusBar.hidden = !text;
  }

  function setTyping(on) {
    typing.hidden = !on;
    if (on) scrollToEnd();
  }

  /* ---- rendering ---- */
  function renderMessage(from, text, time, buttons, before) {
    var row = el('div', 'tthc-msg tthc-msg-' + from);
    row.appendChild(el('span', 'tthc-sr', from === 'user' ? STR.you : STR.bot));
    if (text) {
      var bubble = el('div', 'tthc-bubble');
      appendText(bubble, String(text));
      row.appendChild(bubble);
    }
    var meta = el('div', 'tthc-meta');
    if (time !== null) meta.appendChild(timeEl(time));
    row.appendChild(meta);
    if (buttons && buttons.length) row.appendChild(renderButtons(buttons));
    log.insertBefore(row, before || typing);
    return row;
  }

  function renderButtons(buttons) {
    var group = el('div', 'tthc-quick');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', STR.quick);
    buttons.forEach(function (b) {
      if (!b || !b.title || !b.payload) return;
      var label = String(b.title), payload = String(b.payload);
      var btn = el('button', 'tthc-qr', label);
      btn.type = 'button';
      if (label === '👍' || label === '👎') {
        btn.className += ' tthc-qr-fb';
        btn.setAttribute('aria-label', label === '👍' ? STR.thumbUp : STR.thumbDown);
      }
      btn.addEventListener('click', function (e) {
        rememberTitle(payload, label);
        submit(payload, label, false);
        focusInput(e);
      });
      group.appendChild(btn);
    });
    return group;
  }

  function clearButtons() {
    var groups = log.querySelectorAll('.tthc-quick');
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  function notice(text) {
    log.insertBefore(el('div', 'tthc-notice', text || STR.error), typing);
    scrollToEnd();
  }

  function renderPending(item, before) {
    item.row = renderMessage('user', item.shown, null, null, before);
    item.meta = item.row.querySelector('.tthc-meta');
    item.row.classList.add('tthc-msg-pending');
    item.meta.appendChild(el('span', 'tthc-state', STR.sending));
  }

  function renderReplies(replies) {
    var first = null;
    replies.forEach(function (r) {
      if (!r || (r.id && seen[r.id])) return;
      if (r.id) seen[r.id] = true;
      var row = renderMessage('bot', r.text, r.time, r.buttons);
      if (!first) first = row;
    });
    // A long answer is read from its top: show its start, not its end.
    if (first) log.scrollTop = first.offsetTop - 12;
  }

  /* ---- sending: one message at a time, in order, retried with the same message_id ---- */
  function saveOutbox() {
    save('localStorage', KEYS.outbox, outbox.length ? JSON.stringify(outbox.map(function (m) {
      return { id: m.id, text: m.text, shown: m.shown, hidden: m.hidden, time: m.time };
    }).slice(-20)) : null);
  }

  function sendInput() {
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    onInput();
    submit(text, text, false);
  }

  function submit(text, shown, hidden) {
    var item = { id: randomId(22), text: text, shown: shown, hidden: hidden, time: new Date().toISOString() };
    clearButtons();
    if (!hidden) renderPending(item);
    outbox.push(item);
    saveOutbox();
    scrollToEnd();
    if (wake) wake();
    pump();
  }

  function request(method, path, body) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl && setTimeout(function () { ctl.abort(); }, TIMEOUT_MS);
    var init = { method: method, mode: 'cors', credentials: 'omit', cache: 'no-store', signal: ctl ? ctl.signal : undefined };
    if (body) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    return fetch(BASE + path, init).then(function (res) {
      return res.json().then(null, function () { return null; }).then(function (data) {
        // A cut connection or a proxy page instead of our JSON: safe to retry (same message_id).
        var transient = (res.ok && !data) || res.status === 502 || res.status === 503 || res.status === 504;
        return { status: res.status, ok: res.ok && !!data, transient: transient, data: data || {} };
      });
    }, function () {
      return { status: 0, ok: false, transient: true, offline: true, data: {} };
    }).then(function (r) {
      clearTimeout(timer);
      return r;
    });
  }

  function backoff() {
    var delay = Math.min(1000 * Math.pow(2, attempt), 10000) * (0.8 + 0.4 * Math.random());
    attempt++;
    return new Promise(function (resolve) {
      var t = setTimeout(done, delay);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  function pump() {
    if (busy || historyState !== 'done' || !outbox.length) return;
    busy = true;
    var item = outbox[0];
    setTyping(true);
    request('POST', 'api/v1/messages', { sender: session, text: item.text, message_id: item.id }).then(function (r) {
      if (r.transient) {
        setStatus(r.offline || !r.data.message ? STR.offline : r.data.message);
        return backoff();
      }
      setStatus('');
      attempt = 0;
      outbox.shift();
      saveOutbox();
      if (r.ok) delivered(item, Array.isArray(r.data.replies) ? r.data.replies : []);
      else failed(item, r);
    }).then(function () {
      busy = false;
      setTyping(false);
      pump();
    });
  }

  function delivered(item, replies) {
    if (item.row) {
      var dup = item.restored && replies.length && replies.every(function (r) { return r && seen[r.id]; });
      if (dup) {
        // Sent before a reload and already in the history: the server answered it once.
        item.row.remove();
      } else {
        item.row.classList.remove('tthc-msg-pending');
        item.meta.textContent = '';
        item.meta.appendChild(timeEl(item.time));
      }
    }
    renderReplies(replies);
  }

  function failed(item, r) {
    var message = r.data.message || STR.error;
    if (item.row) {
      item.row.classList.remove('tthc-msg-pending');
      item.row.classList.add('tthc-msg-failed');
      item.meta.textContent = '';
      item.meta.appendChild(el('span', 'tthc-state', STR.failed));
      // Rate limit or server error: the server did not answer it, resending the same id is safe.
      if (r.status === 429 || r.status >= 500 || r.status === 408) {
        var retry = el('button', 'tthc-retry', STR.retry);
        retry.type = 'button';
        retry.addEventListener('click', function (e) {
          item.row.remove();
          renderPending(item);
          outbox.push(item);
          saveOutbox();
          scrollToEnd();
          pump();
          focusInput(e);
        });
        item.meta.appendChild(retry);
      }
    }
    notice(message);
  }

  /* ---- history: restores the conversation after a reload ---- */
  function loadHistory() {
    historyState = 'loading';
    request('GET', 'api/v1/history/' + encodeURIComponent(session)).then(function (r) {
      if (r.status === 404 || (r.ok && Array.isArray(r.data.messages))) {
        setStatus('');
        attempt = 0;
        showHistory(r.ok ? r.data.messages : []);
        return;
      }
      if (r.transient || r.status === 429) {
        setStatus(r.offline ? STR.offline : STR.historyRetry);
        return backoff().then(loadHistory);
      }
      setStatus('');
      notice(r.data.message);
      historyState = 'done';
      pump();
    });
  }

  function showHistory(messages) {
    var before = log.firstChild;
    // Buttons only on the bot's last answer: the messages after the last user message.
    var lastUser = -1;
    messages.forEach(function (m, i) { if (m && m.from === 'user') lastUser = i; });
    messages.forEach(function (m, i) {
      if (!m || (m.id && seen[m.id])) return;
      if (m.id) seen[m.id] = true;
      var text = String(m.text || '');
      if (m.from === 'user') {
        // A button's payload is shown as the title it had, when this browser knows it.
        if (text.charAt(0) === '/' && !(text = titles[text])) return;
        renderMessage('user', text, m.time, null, before);
      } else {
        renderMessage('bot', text, m.time, i > lastUser ? m.buttons : null, before);
      }
    });
    outbox = outbox.filter(function (item) { return !seen[item.id]; });
    outbox.forEach(function (item) {
      if (!item.row && !item.hidden) {
        item.restored = true;
        renderPending(item, before);
      }
    });
    if (!messages.length && !outbox.some(function (m) { return m.text === GREET; })) {
      outbox.unshift({ id: randomId(22), text: GREET, shown: '', hidden: true, time: new Date().toISOString() });
    }
    saveOutbox();
    historyState = 'done';
    scrollToEnd();
    pump();
  }

  /* ---- news: dossier updates and staff answers arrive without a question ---- */
  function poll() {
    if (busy || historyState !== 'done' || document.hidden || load('sessionStorage', KEYS.open) !== '1') return;
    request('GET', 'api/v1/history/' + encodeURIComponent(session)).then(function (r) {
      if (!r.ok || !Array.isArray(r.data.messages) || busy) return;
      renderReplies(r.data.messages.filter(function (m) { return m && m.from === 'bot' && m.id !== '0'; }));
    });
  }

  function start() {
    build();
    setInterval(poll, POLL_MS);
    window.addEventListener('online', function () { if (wake) wake(); });
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden && wake) wake();
    });
    if (load('sessionStorage', KEYS.open) === '1') open(false);
    else if (outbox.length) loadHistory();
  }

  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
