// The moderation queue's enhancements: select-all and keyboard shortcuts.
// Everything works without this file; it only adds speed on top of the plain HTML forms.
(function () {
  "use strict";

  var items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
  var current = -1;

  function setUpSelectAll() {
    var selectAll = document.getElementById("select-all");
    if (!selectAll) {
      return;
    }
    selectAll.closest("label").hidden = false;
    selectAll.addEventListener("change", function () {
      document.querySelectorAll(".select-item").forEach(function (box) {
        box.checked = selectAll.checked;
      });
    });
  }

  function select(index) {
    if (!items.length) {
      return;
    }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (items[current]) {
      items[current].classList.remove("is-current");
      items[current].removeAttribute("aria-current");
    }
    current = index;
    items[current].classList.add("is-current");
    items[current].setAttribute("aria-current", "true");
    items[current].focus({ preventScroll: true });
    items[current].scrollIntoView({ block: "nearest" });
  }

  function decide(action) {
    var item = items[current];
    if (!item) {
      return;
    }
    var button = item.querySelector('button[name="action"][value="' + action + '"]');
    if (button) {
      button.form.requestSubmit(button);
    }
  }

  function toggleSelection() {
    var item = items[current];
    var box = item && item.querySelector(".select-item");
    if (box) {
      box.checked = !box.checked;
    }
  }

  var KEYS = {
    j: function () { select(current + 1); },
    k: function () { select(current - 1); },
    a: function () { decide("approve"); },
    r: function () { decide("reject"); },
    s: function () { decide("spam"); },
    x: toggleSelection
  };

  function typingIn(target) {
    if (target.isContentEditable) {
      return true;
    }
    var tag = target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && target.type !== "checkbox");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var handler = KEYS[event.key];
    if (!handler || typingIn(event.target)) {
      return;
    }
    event.preventDefault();
    handler();
  });

  items.forEach(function (item, index) {
    item.addEventListener("click", function (event) {
      if (!event.target.closest("a, button, input, select, label")) {
        select(index);
      }
    });
  });

  setUpSelectAll();
  if (items.length) {
    select(0);
  }
}());
