// Brief preview only (served by `brief serve`, never part of an edition):
// reload the page when the profile has been rebuilt, or when the build fails
// (the reloaded page then shows the errors over the last good content).
(function () {
  'use strict';
  if (typeof EventSource === 'undefined') { return; }
  var meta = document.querySelector('meta[name="brief-generation"]');
  var shown = meta ? meta.getAttribute('content') : null;
  var events = new EventSource('/__brief/events');
  function onBuild(e) {
    if (e.data !== shown) {
      shown = e.data;
      window.location.reload();
    }
  }
  events.addEventListener('hello', function (e) {
    document.documentElement.setAttribute('data-brief-preview', 'connected');
    onBuild(e);
  });
  events.addEventListener('reload', onBuild);
})();
