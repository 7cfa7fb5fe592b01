/* Exhibition builder: drag and drop, and move up/down without a page reload.
   Without JavaScript the move buttons post plain forms; this only improves on them. Focus stays on
   the button that was pressed, and a polite live region says where the entry went. */
(function () {
  "use strict";
  var list = document.getElementById("entries");
  if (!list) return;
  var status = document.getElementById("order-status");
  var url = list.getAttribute("data-reorder-url");

  function token() {
    var input = list.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function items() { return Array.prototype.slice.call(list.children); }
  function title(li) { var h = li.querySelector(".cw-entry-title"); return h ? h.textContent.trim() : ""; }

  function refreshButtons() {
    var all = items();
    all.forEach(function (li, i) {
      var up = li.querySelector("form[data-direction=up] button");
      var down = li.querySelector("form[data-direction=down] button");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
  }

  function save(li) {
    var order = items().map(function (el) { return Number(el.getAttribute("data-entry-id")); });
    list.setAttribute("aria-busy", "true");
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ order: order })
    }).then(function (r) {
      list.removeAttribute("aria-busy");
      if (!r.ok) throw new Error("reorder failed");
      var pos = items().indexOf(li) + 1;
      status.textContent = title(li) + ": " + pos + " / " + items().length;
    }).catch(function () {
      status.textContent = list.getAttribute("data-error") || "The new order could not be saved; reload the page.";
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var direction = form.getAttribute("data-direction");
    if (!direction) return;
    event.preventDefault();
    var li = form.closest("li");
    var sibling = direction === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (direction === "up") list.insertBefore(li, sibling); else list.insertBefore(sibling, li);
    refreshButtons();
    var button = form.querySelector("button");
    if (button.disabled) {
      var other = li.querySelector("form[data-direction=" + (direction === "up" ? "down" : "up") + "] button");
      if (other) other.focus();
    } else {
      button.focus();
    }
    save(li);
  });

  // Drag and drop by the handle (mouse and touch-pointer users).
  var dragged = null;
  items().forEach(function (li) { li.setAttribute("draggable", "true"); });
  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("li");
    if (!dragged) return;
    dragged.classList.add("cw-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.getAttribute("data-entry-id"));
  });
  list.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var over = event.target.closest("li");
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  list.addEventListener("drop", function (event) { event.preventDefault(); });
  list.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("cw-dragging");
    refreshButtons();
    save(dragged);
    dragged = null;
  });
})();
