// Moderation queue: keyboard shortcuts (j/k move, x selects, a approve, r reject) and the count of
// the selection. Shortcuts never fire while typing in a field or with a modifier key held.
(function () {
  "use strict";
  var form = document.getElementById("bulk");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll(".cw-queue-item"));
  var action = document.getElementById("id_action");
  var reason = document.getElementById("id_reason");
  var apply = document.getElementById("bulk-apply");
  var count = document.getElementById("bulk-count");
  var current = -1;

  function updateCount() {
    count.textContent = String(form.querySelectorAll(".cw-select:checked").length);
  }
  function move(step) {
    if (!rows.length) return;
    var here = rows.indexOf(document.activeElement && document.activeElement.closest(".cw-queue-item"));
    current = Math.max(0, Math.min(rows.length - 1, (here >= 0 ? here : Math.max(current, step ? current : 0)) + step));
    rows.forEach(function (r, i) { r.classList.toggle("cw-current", i === current); });
    rows[current].focus();
  }
  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName)) return true;
    return el.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/.test(el.type);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      // Esc leaves the field, back to the list, where the shortcuts work again.
      if (event.key === "Escape" && rows.length) { event.preventDefault(); move(0); }
      return;
    }
    var key = event.key;
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "x") {
      var row = rows[current] || (document.activeElement && document.activeElement.closest(".cw-queue-item"));
      if (!row) return;
      var box = row.querySelector(".cw-select");
      box.checked = !box.checked;
      updateCount();
    } else if (key === "a" && action.querySelector("option[value=approve]")) {
      action.value = "approve";
      fields();
      apply.focus();
    } else if (key === "r") {
      action.value = "reject";
      fields();
      reason.focus();
    } else { return; }
    event.preventDefault();
  });
  // Show the reason only for decisions that need one, and the moderator only for assigning.
  var assignee = document.getElementById("id_assignee");
  function fields() {
    reason.closest(".cw-field").hidden = !/^(reject|request-changes)$/.test(action.value);
    assignee.closest(".cw-field").hidden = action.value !== "assign";
  }
  action.addEventListener("change", fields);
  form.addEventListener("change", updateCount);
  updateCount();
  fields();
})();
