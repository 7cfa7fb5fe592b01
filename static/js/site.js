/* Memories: small enhancements only. Every page works without this file. */
(function () {
  "use strict";

  // "Leave this site quickly": Esc (pressed anywhere on a page with the control) replaces this
  // page in the history, so that the back button does not bring the visitor back.
  var exit = document.querySelector("[data-quick-exit]");
  if (exit) {
    var leave = function (event) {
      if (event) { event.preventDefault(); }
      window.location.replace(exit.getAttribute("href"));
    };
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      // Viewers use Esc themselves (leaving full screen, closing Mirador's panels).
      var inViewer = event.target && event.target.closest && event.target.closest("#mirador, .viewer");
      if (event.key === "Escape" && !event.defaultPrevented && !inViewer) { leave(event); }
    });
  }

  // "Not now, take me back" on a content-warning gate: back to the page the visitor came from when
  // that page is on this site (the link's own address, a safe `next` or home, works without this).
  var back = document.querySelector("a[data-back]");
  if (back && document.referrer && window.history.length > 1) {
    try {
      if (new URL(document.referrer).origin === window.location.origin) {
        back.addEventListener("click", function (event) { event.preventDefault(); window.history.back(); });
      }
    } catch (e) { /* an unreadable referrer: keep the link */ }
  }

  // A disclosure folded on a phone and shown beside the content on a wide screen (the search's
  // "Refine"; its CSS shows it there already): open it on wide screens so that its state is the one
  // seen, and take its summary out of the tab order there, where it folds nothing.
  Array.prototype.forEach.call(document.querySelectorAll("details[data-open-from]"), function (details) {
    var wide = window.matchMedia(details.getAttribute("data-open-from"));
    var summary = details.querySelector("summary");
    var apply = function () {
      details.open = wide.matches;
      if (summary) { summary.tabIndex = wide.matches ? -1 : 0; }
    };
    apply();
    if (wide.addEventListener) { wide.addEventListener("change", apply); }
  });

  // Upload progress: send forms marked data-upload-progress with XMLHttpRequest so that a
  // <progress> element can show how much has been sent. The server answers as for a normal post.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-upload-progress]"), function (form) {
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    if (!bar || !window.FormData || !window.XMLHttpRequest) { return; }
    form.addEventListener("submit", function (event) {
      var files = form.querySelector("input[type=file]");
      if (!files || !files.files || files.files.length === 0) { return; }  // nothing to show
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          if (status) { status.textContent = status.getAttribute("data-template").replace("%(percent)s", bar.value); }
        }
      });
      xhr.addEventListener("load", function () {
        // Follow the server's answer as the browser would have done (redirect or re-rendered form).
        if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status < 400) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open(); document.write(xhr.responseText); document.close();
        }
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(data);
    });
  });
})();
