// Every dashboard page: the menu's badges say what they count (title and screen-reader label).
(function () {
  'use strict';
  var labels = {
    'agleafeeds:pending': 'comments waiting for a person',
    'agleafeeds:spam-today': 'comments caught as spam today'
  };
  Object.keys(labels).forEach(function (metric) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-metric="' + metric + '"]'), function (badge) {
      badge.title = labels[metric];
      badge.setAttribute('aria-label', badge.textContent + ' ' + labels[metric]);
    });
  });
})();
