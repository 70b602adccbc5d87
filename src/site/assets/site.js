// Filters and search for the entry index. Runs from file:// and any static server; it reads the page, nothing else.
(function () {
  'use strict';
  var table = document.getElementById('entries');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr[data-field]'));
  var field = document.getElementById('filter-field');
  var kind = document.getElementById('filter-kind');
  var retryable = document.getElementById('filter-retryable');
  var search = document.getElementById('search');
  var count = document.getElementById('count');
  var empty = document.getElementById('no-match');
  var reset = document.getElementById('reset');
  // The text a search looks in, computed once: the id and every visible cell.
  var haystacks = rows.map(function (row) {
    return (row.id + ' ' + row.textContent).toLowerCase().replace(/\s+/g, ' ');
  });

  function apply() {
    var f = field.value;
    var k = kind.value;
    var r = retryable.value;
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var match =
        (f === '' || row.getAttribute('data-field') === f) &&
        (k === '' || row.getAttribute('data-kind') === k) &&
        (r === '' || row.getAttribute('data-retryable') === r) &&
        words.every(function (w) {
          return haystacks[i].indexOf(w) !== -1;
        });
      row.hidden = !match;
      if (match) shown++;
    });
    count.textContent = shown === rows.length ? rows.length + ' entries' : shown + ' of ' + rows.length + ' entries';
    empty.hidden = shown !== 0;
  }

  function clear() {
    field.value = '';
    kind.value = '';
    retryable.value = '';
    search.value = '';
    apply();
  }

  // Following a link to an entry that the filters hide shows everything again, so the link always lands.
  function reveal() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return;
    }
    var target = id && document.getElementById(id);
    if (target && target.hidden) {
      clear();
      target.scrollIntoView();
    }
  }

  [field, kind, retryable].forEach(function (el) {
    el.addEventListener('change', apply);
  });
  search.addEventListener('input', apply);
  reset.addEventListener('click', clear);
  window.addEventListener('hashchange', reveal);
  document.getElementById('filters').hidden = false;
  apply();
  reveal();
})();
