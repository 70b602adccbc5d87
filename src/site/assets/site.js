// Filters and search for the entry index. Runs from file:// and any static server; it reads the page, nothing else.
// The view (filters and search) lives in the query string, so that a result can be linked: index.html?q=quota.
(function () {
  'use strict';
  var table = document.getElementById('entries');
  if (!table) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.querySelectorAll('tr[data-field]'));
  var selects = {
    field: document.getElementById('filter-field'),
    kind: document.getElementById('filter-kind'),
    retryable: document.getElementById('filter-retryable'),
    stability: document.getElementById('filter-stability'),
  };
  var names = Object.keys(selects);
  var search = document.getElementById('search');
  var count = document.getElementById('count');
  var empty = document.getElementById('no-match');
  var reset = document.getElementById('reset');
  var permalink = document.getElementById('permalink');
  var norm = function (text) {
    return text.toLowerCase().replace(/\s+/g, ' ');
  };
  // The text a search looks in, computed once: the id, every visible cell, and the row's data-search (both SDKs'
  // class names as code writes them, the kind, the remedy, the retry decision in words).
  var items = rows.map(function (row, i) {
    var value = row.querySelector('a.value').textContent;
    return {
      row: row,
      order: i,
      value: value.toLowerCase(),
      id: row.id.toLowerCase(),
      text: norm(row.id + ' ' + row.textContent + ' ' + row.getAttribute('data-search')),
    };
  });

  // A row that names the words exactly comes first: its value, then its id, then a value that starts with them.
  function rank(item, query) {
    if (item.value === query) return 0;
    if (item.id === query) return 1;
    if (item.value.indexOf(query) === 0) return 2;
    if (item.value.indexOf(query) !== -1) return 3;
    return 4;
  }

  function state() {
    var s = {};
    names.forEach(function (n) {
      if (selects[n].value) s[n] = selects[n].value;
    });
    if (search.value.trim()) s.q = search.value.trim();
    return s;
  }

  function query(s) {
    var parts = [];
    Object.keys(s).forEach(function (k) {
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(s[k]));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }

  function remember() {
    var q = query(state());
    permalink.href = 'index.html' + q;
    if (q === location.search || (q === '' && location.search === '')) return;
    try {
      history.replaceState(null, '', location.pathname + q + location.hash);
    } catch {
      // Some browsers refuse history changes on file://: the "link to this view" link still holds the view.
    }
  }

  function apply() {
    var words = norm(search.value).split(' ').filter(Boolean);
    var phrase = words.join(' ');
    var shown = [];
    items.forEach(function (item) {
      var row = item.row;
      var match =
        names.every(function (n) {
          var v = selects[n].value;
          return v === '' || row.getAttribute('data-' + n) === v;
        }) &&
        words.every(function (w) {
          return item.text.indexOf(w) !== -1;
        });
      row.hidden = !match;
      if (match) shown.push(item);
    });
    // Searching puts the best matches first; without a search the contract's own order holds.
    var ordered = items.slice();
    if (phrase) {
      ordered.sort(function (a, b) {
        return rank(a, phrase) - rank(b, phrase) || a.order - b.order;
      });
    }
    var before = empty;
    for (var i = ordered.length - 1; i >= 0; i--) {
      var row = ordered[i].row;
      if (row.nextSibling !== before) tbody.insertBefore(row, before);
      before = row;
    }
    count.textContent =
      shown.length === rows.length ? rows.length + ' entries' : shown.length + ' of ' + rows.length + ' entries';
    empty.hidden = shown.length !== 0;
    remember();
  }

  function clear() {
    names.forEach(function (n) {
      selects[n].value = '';
    });
    search.value = '';
    apply();
  }

  // The view a URL asks for: ?field=…&kind=…&retryable=…&stability=…&q=…; an unknown value is ignored.
  function restore() {
    var params = {};
    location.search
      .slice(1)
      .split('&')
      .forEach(function (pair) {
        if (!pair) return;
        var at = pair.indexOf('=');
        try {
          var key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
          params[key] = decodeURIComponent((at < 0 ? '' : pair.slice(at + 1)).replace(/\+/g, ' '));
        } catch {
          // A bad percent-escape: ignored.
        }
      });
    names.forEach(function (n) {
      var v = Object.prototype.hasOwnProperty.call(params, n) ? params[n] : '';
      var known = Array.prototype.some.call(selects[n].options, function (o) {
        return o.value === v;
      });
      selects[n].value = known ? v : '';
    });
    search.value = Object.prototype.hasOwnProperty.call(params, 'q') ? params.q : '';
  }

  // Following a link to an entry that the filters hide shows everything again, so the link always lands.
  function reveal() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      return;
    }
    var target = id && document.getElementById(id);
    if (target && target.hidden) {
      clear();
      target.scrollIntoView();
    }
  }

  names.forEach(function (n) {
    selects[n].addEventListener('change', apply);
  });
  search.addEventListener('input', apply);
  reset.addEventListener('click', clear);
  window.addEventListener('hashchange', reveal);
  document.getElementById('filters').hidden = false;
  restore();
  apply();
  reveal();
})();
