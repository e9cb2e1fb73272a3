// The moderation queue: decide per row, on a selection or from the keyboard; undo the last decision.
// Decisions are POSTed to /moderation/decide with the dashboard's antiforgery header; the answer says,
// per comment, whether it was applied, decided by someone else first, or is gone.
(function () {
  'use strict';
  var table = document.getElementById('moderation');
  if (!table) { return; }
  var status = table.getAttribute('data-status');
  var decideUrl = table.getAttribute('data-decide');
  var notice = document.getElementById('moderation-notice');
  var undoButton = document.querySelector('.js-undo');
  var selectAll = document.getElementById('select-all');
  var header = document.querySelector('meta[name="csrf-header"]');
  var token = document.querySelector('meta[name="csrf-token"]');
  var actionFor = { Pending: 'restore', Approved: 'approve', Spam: 'spam', Rejected: 'reject' };
  var statusFor = { restore: 'Pending', approve: 'Approved', spam: 'Spam', reject: 'Rejected' };
  var undoKey = 'agleafeeds.moderation.undo';
  var current = 0;

  function rows() { return Array.prototype.slice.call(table.querySelectorAll('tr.comment-row')); }
  function selectedRows() { return rows().filter(function (r) { var box = r.querySelector('.select-comment'); return box && box.checked; }); }
  function undoStack() { try { return JSON.parse(sessionStorage.getItem(undoKey)) || []; } catch (e) { return []; } }
  function saveUndo(stack) { sessionStorage.setItem(undoKey, JSON.stringify(stack.slice(-20))); refresh(); }

  function refresh() {
    var any = selectedRows().length > 0;
    Array.prototype.forEach.call(document.querySelectorAll('.js-bulk'), function (b) { b.disabled = !any; });
    if (undoButton) { undoButton.disabled = undoStack().length === 0; }
  }

  function focusRow(index) {
    var all = rows();
    if (all.length === 0) { return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (r, i) { r.classList.toggle('info', i === current); });
    all[current].scrollIntoView({ block: 'nearest' });
  }

  // The tabs' counts follow each decision; the last one leaves "Nothing here." rather than a blank table.
  function recount(from, to, n) {
    [[from, -n], [to, n]].forEach(function (change) {
      var badge = document.querySelector('.tab-count[data-status="' + change[0] + '"]');
      if (badge) { badge.textContent = String(Math.max(0, parseInt(badge.textContent, 10) + change[1])); }
    });
    if (rows().length === 0) {
      var empty = document.getElementById('moderation-empty');
      if (empty) { empty.hidden = false; }
      Array.prototype.forEach.call(document.querySelectorAll('.js-queue'), function (e) { e.hidden = true; });
    }
  }

  function say(html, kind) {
    notice.innerHTML = '<div class="alert alert-' + kind + '">' + html + '</div>';
  }

  function escape(text) {
    var div = document.createElement('div');
    div.textContent = text == null ? '' : String(text);
    return div.innerHTML;
  }

  function post(action, from, ids) {
    var body = new URLSearchParams();
    body.append('action', action);
    body.append('from', from);
    ids.forEach(function (id) { body.append('ids[]', id); });
    var headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (header && token) { headers[header.getAttribute('content')] = token.getAttribute('content'); }
    return fetch(decideUrl, { method: 'POST', headers: headers, body: body, credentials: 'same-origin' })
      .then(function (response) {
        return response.json().catch(function () { return { error: 'The server answered ' + response.status + '.' }; })
          .then(function (json) { return { ok: response.ok, json: json }; });
      })
      .catch(function () { return { ok: false, json: { error: 'The dashboard could not be reached; nothing was changed.' } }; });
  }

  function decide(action, targets) {
    if (targets.length === 0) { return; }
    var ids = targets.map(function (r) { return r.getAttribute('data-comment-id'); });
    post(action, status, ids).then(function (answer) {
      if (!answer.ok) { say(escape(answer.json.error), 'danger'); return; }
      var applied = [], problems = [];
      answer.json.results.forEach(function (result) {
        var row = table.querySelector('tr[data-comment-id="' + result.id + '"]');
        if (!row) { return; }
        var who = row.getAttribute('data-author');
        if (result.outcome === 'Applied') {
          applied.push(String(result.id));
          row.parentNode.removeChild(row);
        } else if (result.outcome === 'Conflict') {
          row.classList.add('warning');
          row.querySelector('.actions').innerHTML = '<span class="label label-default current-status">now ' + escape(result.status) + '</span>';
          problems.push('The comment by ' + escape(who) + ' was already moved to ' + escape(result.status) + ' by someone else; it was left as it is.');
        } else {
          row.classList.add('danger');
          row.querySelector('.actions').innerHTML = '<span class="label label-default">gone</span>';
          problems.push('The comment by ' + escape(who) + ' no longer exists.');
        }
      });
      if (applied.length > 0) {
        recount(status, statusFor[action], applied.length);
        var stack = undoStack();
        stack.push({ ids: applied, from: status, to: statusFor[action] });
        saveUndo(stack);
      }
      var text = applied.length > 0
        ? escape(statusFor[action]) + ': ' + applied.length + (applied.length === 1 ? ' comment' : ' comments') + '. <a href="#" class="js-undo-link">Undo</a> (u)'
        : '';
      say(text + (problems.length ? '<br>' + problems.join('<br>') : ''), problems.length ? 'warning' : 'success');
      if (selectAll) { selectAll.checked = false; }
      focusRow(current);
      refresh();
    });
  }

  function undo() {
    var stack = undoStack();
    var last = stack.pop();
    if (!last) { say('Nothing to undo.', 'info'); return; }
    post(actionFor[last.from], last.to, last.ids).then(function (answer) {
      if (!answer.ok) { say(escape(answer.json.error), 'danger'); return; }
      saveUndo(stack);
      window.location.reload();
    });
  }

  function targets() {
    var chosen = selectedRows();
    if (chosen.length > 0) { return chosen; }
    var all = rows();
    return all.length > 0 ? [all[current]] : [];
  }

  table.addEventListener('click', function (e) {
    var button = e.target.closest('.js-decide');
    if (button) { decide(button.getAttribute('data-action'), [button.closest('tr')]); return; }
    var row = e.target.closest('tr.comment-row');
    if (row && !e.target.closest('a')) { focusRow(rows().indexOf(row)); }
  });
  table.addEventListener('change', refresh);
  Array.prototype.forEach.call(document.querySelectorAll('.js-bulk'), function (b) {
    b.addEventListener('click', function () { decide(b.getAttribute('data-action'), selectedRows()); });
  });
  if (selectAll) {
    selectAll.addEventListener('change', function () {
      rows().forEach(function (r) { r.querySelector('.select-comment').checked = selectAll.checked; });
      refresh();
    });
  }
  if (undoButton) { undoButton.addEventListener('click', undo); }
  notice.addEventListener('click', function (e) {
    if (e.target.classList.contains('js-undo-link')) { e.preventDefault(); undo(); }
  });

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.target.closest && e.target.closest('input[type="text"], input:not([type]), textarea, select')) { return; }
    var all = rows();
    switch (e.key) {
      case 'j': focusRow(current + 1); break;
      case 'k': focusRow(current - 1); break;
      case 'x':
        if (all[current]) { var box = all[current].querySelector('.select-comment'); box.checked = !box.checked; refresh(); }
        break;
      case 'a': if (status !== 'Approved') { decide('approve', targets()); } break;
      case 's': if (status !== 'Spam') { decide('spam', targets()); } break;
      case 'r': if (status !== 'Rejected') { decide('reject', targets()); } break;
      case 'u': undo(); break;
      default: return;
    }
    e.preventDefault();
  });

  focusRow(0);
  refresh();
})();
