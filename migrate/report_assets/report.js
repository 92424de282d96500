(function () {
  'use strict';
  var CHUNK = 100;
  var index = JSON.parse(document.getElementById('jm-index').textContent);
  var bodies = null, images = null;
  function table(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : [];
  }
  function bodyText(i) { return bodies[i]; }
  // The bodies are gzip-compressed JSON (base64): unpacked once, in the background, when first wanted.
  var unpacking = null;
  function withBodies() {
    if (!unpacking) {
      var node = document.getElementById('jm-bodies');
      unpacking = Promise.resolve().then(function () {
        var text = node ? node.textContent : '';
        if (!node || node.getAttribute('data-encoding') !== 'gzip+base64') return text ? JSON.parse(text) : [];
        var binary = atob(text), bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        return new Response(stream).text().then(JSON.parse);
      }).then(function (value) { bodies = value; return value; });
    }
    return unpacking;
  }
  function imageData(i) { if (!images) images = table('jm-images'); return images[i]; }
  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') node.textContent = props[k];
      else if (k === 'cls') node.className = props[k];
      else if (props[k] !== null && props[k] !== undefined) node.setAttribute(k, props[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function decode(url) {
    if (!url) return url;
    try { return decodeURI(url); } catch (e) { return url; }
  }
  function urlSpan(url, spellings) {
    if (!url) return el('span', {cls: 'small', text: '(none)'});
    var shown = decode(url);
    var title = spellings || url;
    return el('span', {cls: 'code', text: shown, title: title !== shown ? title : null});
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  // A table whose rows are drawn a chunk at a time, as the reader scrolls to its end.
  function LazyTable(name, rows, render, key, statusOf, noun) {
    this.name = name; this.rows = rows; this.render = render; this.statusOf = statusOf; this.noun = noun;
    this.keys = rows.map(function (r) { return key(r).toLowerCase(); });
    this.tbody = $(name + '-rows'); this.more = $(name + '-more'); this.countNode = $(name + '-count');
    this.query = ''; this.status = ''; this.filtered = []; this.shown = 0;
    var self = this;
    this.more.addEventListener('click', function () { self.append(); });
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; }) && !self.more.hidden) self.append();
      }, {rootMargin: '600px'}).observe(this.more);
    }
    this.filters();
    this.refresh();
  }
  LazyTable.prototype.filters = function () {
    var box = document.querySelector('.filters[data-for=' + this.name + ']');
    if (!box) return;
    var counts = {}, self = this, order = [];
    this.rows.forEach(function (r) {
      var s = self.statusOf(r);
      if (!(s in counts)) { counts[s] = 0; order.push(s); }
      counts[s]++;
    });
    var buttons = [];
    [''].concat(order.sort()).forEach(function (s) {
      var b = el('button', {type: 'button', 'aria-pressed': s === '' ? 'true' : 'false', 'data-status': s,
        text: (s || 'all') + ' (' + (s ? counts[s] : self.rows.length) + ')'});
      b.addEventListener('click', function () {
        buttons.forEach(function (o) { o.setAttribute('aria-pressed', o === b ? 'true' : 'false'); });
        self.status = s; self.refresh();
      });
      buttons.push(b); box.appendChild(b);
    });
  };
  LazyTable.prototype.refresh = function () {
    var q = this.query, st = this.status, out = [];
    for (var i = 0; i < this.rows.length; i++) {
      if ((!st || this.statusOf(this.rows[i]) === st) && (!q || this.keys[i].indexOf(q) >= 0)) out.push(i);
    }
    this.filtered = out; this.shown = 0; this.tbody.textContent = '';
    this.countNode.textContent = (out.length === this.rows.length ? plural(out.length, this.noun)
      : out.length + ' of ' + plural(this.rows.length, this.noun));
    this.append();
  };
  LazyTable.prototype.append = function (until) {
    var end = Math.min(this.filtered.length, Math.max(this.shown + CHUNK, (until || 0) + 1));
    var frag = document.createDocumentFragment();
    for (var i = this.shown; i < end; i++) this.render(this.rows[this.filtered[i]], frag);
    this.tbody.appendChild(frag);
    this.shown = end;
    var left = this.filtered.length - end;
    this.more.hidden = left <= 0;
    this.more.textContent = 'Show more (' + left + ' left)';
  };

  // -- a rendering in a sandboxed frame: nothing in it may run or fetch ---------------------------------
  var FRAME_CSS = ':root{color-scheme:light dark}html{background:Canvas;color:CanvasText}body{font:16px/1.5 Georgia,serif;margin:1em;overflow-wrap:anywhere}' +
    'img,svg,video{max-width:100%;height:auto}pre{overflow:auto;white-space:pre-wrap}table{border-collapse:collapse}' +
    'td,th{border:1px solid #8888;padding:2px 5px}a[title]{color:#1a56db;text-decoration:underline}' +
    '@media (prefers-color-scheme:dark){a[title]{color:#8ab4ff}}' +
    '.jm-embed{border:1px dashed #888;padding:.5em;color:#777;font:13px system-ui,sans-serif}';
  var FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";
  var DROP = 'script,link,meta,base,frameset,frame,applet,portal';
  var EMBEDS = 'iframe,object,embed,video,audio';
  var URL_IN_CSS = /url\s*\([^)]*\)|@import[^;]*;?|image-set\s*\([^)]*\)/gi;
  function placeholder(text) {
    var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='320' height='60'><rect width='100%' height='100%' " +
      "fill='#8882' stroke='#888' stroke-dasharray='4'/><text x='10' y='35' font-family='sans-serif' font-size='13' " +
      "fill='#777'>" + text.replace(/[<&'"]/g, ' ').slice(0, 60) + '</text></svg>';
    return 'data:image/svg+xml,' + encodeURIComponent(svg);
  }
  function sanitize(doc, side, local) {
    var map = Object.assign({}, index.images[side] || {}, local || {});
    doc.querySelectorAll(DROP).forEach(function (n) { n.remove(); });
    doc.querySelectorAll(EMBEDS).forEach(function (n) {
      var what = n.getAttribute('src') || n.getAttribute('data') ||
        (n.querySelector('source') && n.querySelector('source').getAttribute('src')) || '';
      n.replaceWith(el('div', {cls: 'jm-embed', text: '[' + n.tagName.toLowerCase() + ' not loaded in the report: ' +
        decode(what) + ']'}));
    });
    doc.querySelectorAll('style').forEach(function (n) { n.textContent = n.textContent.replace(URL_IN_CSS, 'none'); });
    doc.querySelectorAll('*').forEach(function (n) {
      for (var i = n.attributes.length - 1; i >= 0; i--) {
        var a = n.attributes[i], name = a.name.toLowerCase(), v = a.value;
        if (name.indexOf('on') === 0 || name === 'srcset' || name === 'poster' || name === 'background' ||
            name === 'ping' || name === 'action' || name === 'formaction' || name === 'imagesrcset' ||
            /^\s*(javascript|vbscript):/i.test(v)) n.removeAttribute(a.name);
        else if (name === 'style' && /url\s*\(|image-set/i.test(v)) n.setAttribute('style', v.replace(URL_IN_CSS, 'none'));
      }
      var tag = n.tagName.toLowerCase();
      if (tag === 'img' || tag === 'image' || (tag === 'input' && n.getAttribute('type') === 'image') || tag === 'source') {
        var attr = n.hasAttribute('src') ? 'src' : (n.hasAttribute('href') ? 'href' : 'xlink:href');
        var src = n.getAttribute(attr);
        if (src && src.indexOf('data:') !== 0) {
          var found = map[src];
          n.setAttribute(attr, found !== undefined ? imageData(found)
            : placeholder('image not in the report: ' + decode(src).split('/').pop()));
          if (found === undefined) n.setAttribute('title', (index.missingImages[src] || 'not found') + ': ' + decode(src));
        }
      } else if (tag === 'a' || tag === 'area') {
        var href = n.getAttribute('href');
        if (href && href.charAt(0) !== '#') { n.setAttribute('title', decode(href)); n.removeAttribute('href'); }
      } else if (tag === 'use') {
        ['href', 'xlink:href'].forEach(function (h) {
          var v = n.getAttribute(h);
          if (v && v.charAt(0) !== '#') n.removeAttribute(h);
        });
      }
    });
    return doc.body ? doc.body.innerHTML : '';
  }
  function frameDoc(html, side, d) {
    var body = sanitize(new DOMParser().parseFromString(html, 'text/html'), side, d.im && d.im[side]);
    return '<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="' +
      FRAME_CSP + '"><style>' + FRAME_CSS + '</style></head><body>' + body + '</body></html>';
  }

  // -- documents -------------------------------------------------------------------------------------------
  var docsTable = null, docBySource = {};
  function renderDoc(d, frag) {
    var button = el('button', {type: 'button', 'aria-expanded': 'false', text: d.t || d.s.split('/').pop()});
    var diffCell = d.b ? el('td', null, [
      d.d > 0 ? Math.round(d.d * 100) + '%' : 'same text',
      el('span', {cls: 'meter', 'aria-hidden': 'true'}, [el('i', {style: 'width:' + Math.round(d.d * 100) + '%'})])
    ]) : el('td', {cls: 'small', text: '(no body)'});
    var status = el('td', {cls: 'st-' + d.st}, [d.st, d.r ? el('span', {cls: 'small', text: d.r}) : null,
      d.i ? el('span', {cls: 'small', text: plural(d.i, 'issue')}) : null]);
    var tr = el('tr', {'data-source': d.s}, [
      el('td', {cls: 'doc'}, [button, el('span', {cls: 'src', text: d.s})]),
      el('td', null, [urlSpan(d.o), el('span', {cls: 'small', text: '→'}), urlSpan(d.n)]),
      status, diffCell]);
    button.addEventListener('click', function () { toggleDoc(tr, d); });
    frag.appendChild(tr);
  }
  function toggleDoc(tr, d, line, keepOpen) {
    var next = tr.nextSibling, button = tr.querySelector('button');
    if (next && next.classList && next.classList.contains('detail')) {
      if (!keepOpen) { next.remove(); button.setAttribute('aria-expanded', 'false'); return next; }
      withBodies().then(function () { if (line !== undefined) showLine(next, line); });
      return next;
    }
    var cell = el('td', {colspan: '4'}, [el('p', {cls: 'hint', text: 'Loading…'})]);
    var detail = el('tr', {cls: 'detail', 'aria-busy': 'true'}, [cell]);
    tr.parentNode.insertBefore(detail, tr.nextSibling);
    button.setAttribute('aria-expanded', 'true');
    withBodies().then(function () {
      cell.textContent = '';
      docDetail(d).forEach(function (n) { cell.appendChild(n); });
      detail.removeAttribute('aria-busy');
      if (line !== undefined) showLine(detail, line);
    });
    return detail;
  }
  function docDetail(d) {
    var parts = [];
    if (!d.b) {
      parts.push(el('p', {cls: 'hint', text: d.st === 'exported' ? 'No body kept for this document.'
        : 'Not exported' + (d.r ? ': ' + d.r : '') + '.'}));
      return parts;
    }
    var before = bodyText(d.b[2]), after = bodyText(d.b[3]), f1, f2;
    if (d.f) {  // a file that is no web page (a script, a feed): its text on both sides
      f1 = el('pre', {cls: 'text', text: before}); f2 = el('pre', {cls: 'text', text: after});
    } else {
      f1 = el('iframe', {sandbox: '', title: 'Jekyll rendering of ' + d.s});
      f2 = el('iframe', {sandbox: '', title: index.target + ' rendering of ' + d.s});
      f1.srcdoc = frameDoc(before, 'before', d);
      f2.srcdoc = frameDoc(after, 'after', d);
    }
    parts.push(el('div', {cls: 'pair'}, [
      el('figure', {cls: 'before'}, [el('figcaption', {text: 'Before: Jekyll'}), f1]),
      el('figure', {cls: 'after'}, [el('figcaption', {text: 'After: ' + (d.f ? index.target + ' (the file as written)'
        : index.afterLabel)}), f2])]));
    if (index.afterNote && !d.f) parts.push(el('p', {cls: 'hint', text: 'After: ' + index.afterNote + '.'}));
    var diff = bodyText(d.b[4]);
    var pre = el('pre', {cls: 'diff', 'aria-label': 'text diff, - Jekyll, + ' + index.target});
    if (!diff) pre.textContent = 'The two renderings read the same.';
    diff.split('\n').forEach(function (l) {
      if (!diff) return;
      pre.appendChild(el('span', {cls: l.charAt(0) === '+' ? 'a' : l.charAt(0) === '-' ? 'd' : l.charAt(0) === '@' ? 'h' : ''},
        [l + '\n']));
    });
    parts.push(el('details', {open: ''}, [el('summary', {text: 'Text diff (− Jekyll, + ' + index.target + ')' +
      (d.c ? ', ' + d.c + ' lines beyond the limit not compared' : '')}), pre]));
    parts.push(el('details', {cls: 'source', 'data-first': String(d.l || 1)}, [
      el('summary', {text: 'Source (' + d.s + (d.l ? ', after its front matter' : '') + ')'}),
      numbered(bodyText(d.b[0]), d.l || 1)]));
    if (d.b[1] !== d.b[3]) {
      parts.push(el('details', null, [el('summary', {text: 'Converted body, as written for ' + index.target}),
        numbered(bodyText(d.b[1]), 1)]));
    }
    return parts;
  }
  function numbered(text, first) {
    var pre = el('pre', {cls: 'text'});
    text.split('\n').forEach(function (l, i) { pre.appendChild(el('span', {cls: 'ln', 'data-n': String(i + first)}, [l + '\n'])); });
    return pre;
  }
  function showLine(detail, line) {
    var src = detail.querySelector('details.source');
    if (!src) { detail.scrollIntoView(); return; }
    src.open = true;
    var lines = src.querySelectorAll('.ln');
    lines.forEach(function (n) { n.classList.remove('hit'); });
    var target = lines[line - parseInt(src.getAttribute('data-first'), 10)];
    if (target) { target.classList.add('hit'); target.scrollIntoView({block: 'center'}); }
    else detail.scrollIntoView();
  }
  function openDoc(source, line) {
    if (!docsTable) return;
    var at = docsTable.rows.findIndex(function (d) { return d.s === source; });
    if (at < 0) return;
    if (docsTable.filtered.indexOf(at) < 0) {
      $('q').value = ''; docsTable.query = ''; docsTable.status = '';
      document.querySelectorAll('.filters[data-for=docs] button').forEach(function (b) {
        b.setAttribute('aria-pressed', b.getAttribute('data-status') === '' ? 'true' : 'false');
      });
      docsTable.refresh();
    }
    var pos = docsTable.filtered.indexOf(at);
    if (pos >= docsTable.shown) docsTable.append(pos);
    var tr = Array.prototype.find.call(docsTable.tbody.children, function (r) { return r.getAttribute('data-source') === source; });
    if (!tr) return;
    toggleDoc(tr, docsTable.rows[at], line, true);
    if (line === undefined) tr.scrollIntoView();
    tr.querySelector('button').focus({preventScroll: true});
  }
  function route() {
    var m = /^#doc=([^&]*)(?:&line=(\d+))?/.exec(location.hash);
    if (m) openDoc(decodeURIComponent(m[1]), m[2] ? parseInt(m[2], 10) : undefined);
  }

  // -- issues --------------------------------------------------------------------------------------------
  function renderIssues() {
    var box = $('issue-groups');
    if (!index.issues.length) { box.appendChild(el('p', {text: 'No issues.'})); return; }
    index.issues.forEach(function (g) {
      var summary = el('summary', null, [el('span', {cls: 'sev-' + g.sev, text: g.sev}), ' ',
        el('b', {cls: 'code', text: g.code}), ' (' + g.o.length + ')',
        g.m.length === 1 ? el('span', {cls: 'small', text: g.m[0]}) : null]);
      var details = el('details', {cls: 'group', 'data-code': g.code}, [summary]);
      var drawn = false;
      details.addEventListener('toggle', function () {
        if (!details.open || drawn) return;
        drawn = true;
        var list = el('ol', {cls: 'occ'});
        var shown = 0;
        function more() {
          var end = Math.min(g.o.length, shown + 200);
          for (; shown < end; shown++) {
            var o = g.o[shown], where = o[0] ? o[0] + (o[1] ? ':' + o[1] : '') : '(site)';
            var link = o[0] && docBySource[o[0]] ? el('a', {href: '#doc=' + encodeURIComponent(o[0]) +
              (o[1] ? '&line=' + o[1] : ''), text: where}) : el('span', {cls: 'code', text: where});
            list.appendChild(el('li', null, [link, ' ', g.m[o[2]]]));
          }
          button.hidden = shown >= g.o.length;
          button.textContent = 'Show more (' + (g.o.length - shown) + ' left)';
        }
        var button = el('button', {type: 'button'});
        button.addEventListener('click', more);
        details.appendChild(list); details.appendChild(el('p', {cls: 'more'}, [button]));
        more();
      });
      box.appendChild(details);
    });
  }

  // -- URL map and verify checks ------------------------------------------------------------------------
  function renderUrl(u, frag) {
    var spellings = u.old.split(' ');
    frag.appendChild(el('tr', null, [
      el('td', null, [urlSpan(spellings[0], spellings.join('\n'))]),
      el('td', {cls: 'st-' + u.status, text: u.status}),
      el('td', null, [u.new ? urlSpan(u.new) : el('span', {cls: 'small', text: '(nothing answers)'})]),
      el('td', {cls: 'small', text: u.via || ''})]));
  }
  function renderCheck(c, frag) {
    var chain = el('ol', {cls: 'chain'});
    c.chain.forEach(function (hop) {
      chain.appendChild(el('li', null, [urlSpan(hop[0]), ' ', el('b', {text: hop[1] === null ? 'no answer' : String(hop[1])})]));
    });
    frag.appendChild(el('tr', null, [
      el('td', null, [urlSpan(c.src), c.inPlace ? el('span', {cls: 'small', text: 'must answer in place'}) : null]),
      el('td', null, [chain]),
      el('td', {cls: c.ok ? 'st-ok' : 'st-bad'}, [c.ok ? 'ok' : 'failed',
        c.problem ? el('span', {cls: 'small', text: c.problem}) : null])]));
  }

  var tables = [];
  if (index.kind === 'migration') {
    index.docs.forEach(function (d) { docBySource[d.s] = d; });
    docsTable = new LazyTable('docs', index.docs, renderDoc, function (d) {
      return [d.t, d.s, d.o, decode(d.o), d.n, decode(d.n), d.st, d.r].join(' ');
    }, function (d) { return d.st; }, 'document');
    tables.push(docsTable);
    tables.push(new LazyTable('urls', index.urls, renderUrl, function (u) {
      return [u.old, decode(u.old), u.new, decode(u.new), u.via, u.status].join(' ');
    }, function (u) { return u.status; }, 'old URL'));
    renderIssues();
    window.addEventListener('hashchange', route);
    route();
  } else {
    tables.push(new LazyTable('checks', index.checks, renderCheck, function (c) {
      return [c.src, decode(c.src), c.problem].concat(c.chain.map(function (h) { return h[0] + ' ' + decode(h[0]); })).join(' ');
    }, function (c) { return c.ok ? 'ok' : 'failed'; }, 'old URL'));
  }
  var q = $('q'), timer = null;
  if (q) q.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      tables.forEach(function (t) { t.query = q.value.trim().toLowerCase(); t.refresh(); });
    }, 60);
  });
  document.documentElement.setAttribute('data-ready', '1');
  if (index.kind === 'migration') setTimeout(withBodies, 300);
  if (window.performance && performance.mark) performance.mark('jm-interactive');
})();
