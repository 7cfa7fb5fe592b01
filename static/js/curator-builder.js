/* Exhibition builder: drag and drop, move up/down and Alt+Arrow keys without a page reload.
   Without JavaScript the move buttons post plain forms; this only improves on them. Entries move
   within their section's list (the public page shows them section by section). Focus stays on what
   was pressed, and a polite live region says where the entry went. */
(function () {
  "use strict";
  var holder = document.getElementById("entries");
  if (!holder) return;
  var status = document.getElementById("order-status");
  var url = holder.getAttribute("data-reorder-url");
  var lists = Array.prototype.slice.call(document.querySelectorAll("ol.cw-entries"));

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function entries() { return Array.prototype.slice.call(document.querySelectorAll("ol.cw-entries > li")); }
  function title(li) { var h = li.querySelector(".cw-entry-title"); return h ? h.textContent.trim() : ""; }

  function refreshButtons() {
    lists.forEach(function (list) {
      var all = Array.prototype.slice.call(list.children);
      all.forEach(function (li, i) {
        var up = li.querySelector("form[data-direction=up] button");
        var down = li.querySelector("form[data-direction=down] button");
        if (up) up.disabled = i === 0;
        if (down) down.disabled = i === all.length - 1;
      });
    });
  }

  function announce(li) {
    var list = li.parentElement;
    var pos = Array.prototype.indexOf.call(list.children, li) + 1;
    status.textContent = title(li) + ": " + (status.getAttribute("data-moved") || "") + " " + pos + " / " + list.children.length;
  }

  function save(li) {
    var order = entries().map(function (el) { return Number(el.getAttribute("data-entry-id")); });
    li.parentElement.setAttribute("aria-busy", "true");
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ order: order })
    }).then(function (r) {
      li.parentElement.removeAttribute("aria-busy");
      if (!r.ok) throw new Error("reorder failed");
      announce(li);
    }).catch(function () {
      status.textContent = status.getAttribute("data-error");
    });
  }

  function move(li, direction) {
    var list = li.parentElement;
    var sibling = direction === "up" ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return false;
    if (direction === "up") list.insertBefore(li, sibling); else list.insertBefore(sibling, li);
    refreshButtons();
    save(li);
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var direction = form.getAttribute("data-direction");
    if (!direction || !form.closest("ol.cw-entries")) return;
    event.preventDefault();
    var li = form.closest("li");
    if (!move(li, direction)) return;
    var button = form.querySelector("button");
    if (button.disabled) {
      var other = li.querySelector("form[data-direction=" + (direction === "up" ? "down" : "up") + "] button");
      if (other) other.focus();
    } else {
      button.focus();
    }
  });

  // Alt+ArrowUp / Alt+ArrowDown anywhere in an entry moves it; focus stays where it was.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    var li = event.target.closest && event.target.closest("ol.cw-entries > li");
    if (!li) return;
    event.preventDefault();
    var focused = document.activeElement;
    move(li, event.key === "ArrowUp" ? "up" : "down");
    if (focused && focused.focus) focused.focus();
  });

  // Drag and drop by the handle (mouse and touch-pointer users), within a section's list.
  var dragged = null;
  entries().forEach(function (li) { li.setAttribute("draggable", "true"); });
  lists.forEach(function (list) {
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li");
      if (!dragged) return;
      dragged.classList.add("cw-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.getAttribute("data-entry-id"));
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged || dragged.parentElement !== list) return;
      event.preventDefault();
      var over = event.target.closest("li");
      if (!over || over === dragged || over.parentElement !== list) return;
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
  });

  // Sections dragged by the handle before their heading (the buttons "Section up/down" stay the
  // keyboard's and the no-JavaScript path). Only the handle is draggable: the section's own fields
  // and its entries keep their ordinary pointer behaviour.
  var sectionsUrl = holder.getAttribute("data-sections-url");
  var sections = function () { return Array.prototype.slice.call(document.querySelectorAll("section[data-section-id]")); };
  var movingSection = null;
  var box = sections().length ? sections()[0].parentElement : null;
  if (!box || !sectionsUrl) return;
  box.addEventListener("dragstart", function (event) {
    if (!event.target.classList || !event.target.classList.contains("cw-section-handle")) return;
    movingSection = event.target.closest("section[data-section-id]");
    movingSection.classList.add("cw-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", movingSection.getAttribute("data-section-id"));
    event.dataTransfer.setDragImage(movingSection, 10, 10);
  });
  box.addEventListener("dragover", function (event) {
    if (!movingSection) return;
    event.preventDefault();
    var over = event.target.closest && event.target.closest("section[data-section-id]");
    if (!over || over === movingSection) return;
    var rect = over.getBoundingClientRect();
    box.insertBefore(movingSection, event.clientY > rect.top + rect.height / 2 ? over.nextElementSibling : over);
  });
  box.addEventListener("drop", function (event) { if (movingSection) event.preventDefault(); });
  box.addEventListener("dragend", function () {
    if (!movingSection) return;
    var moved = movingSection;
    movingSection = null;
    moved.classList.remove("cw-dragging");
    var order = sections().map(function (s) { return Number(s.getAttribute("data-section-id")); });
    fetch(sectionsUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token() },
      body: JSON.stringify({ order: order })
    }).then(function (r) {
      if (!r.ok) throw new Error("reorder failed");
      // The up/down buttons post to the server by place: their disabled state follows the new order.
      sections().forEach(function (s, i, all) {
        var up = s.querySelector(":scope > .cw-entry-actions form:nth-child(1) button");
        var down = s.querySelector(":scope > .cw-entry-actions form:nth-child(2) button");
        if (up) up.disabled = i === 0;
        if (down) down.disabled = i === all.length - 1;
      });
      var h = moved.querySelector("h3");
      status.textContent = (h ? h.textContent.trim() : "") + ": " + (status.getAttribute("data-moved") || "") + " " +
        (sections().indexOf(moved) + 1) + " / " + sections().length;
    }).catch(function () {
      status.textContent = status.getAttribute("data-error");
    });
  });
})();
