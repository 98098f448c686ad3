/* The article page, made nicer where JavaScript runs; every action also works without it.
 * - "Copy link" buttons copy a comment's permalink.
 * - Votes go through the JSON API and update in place (no reload, no jump).
 * - A comment too long to send is stopped before it leaves, so the text stays in the form.
 * - Opening "Reply" puts the focus in its box.
 */
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function say(element, message) {
    var status = element.querySelector(".action-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "action-status";
      status.setAttribute("role", "status");
      element.appendChild(status);
    }
    status.textContent = message;
  }

  function plural(count, word) {
    return count + " " + (Math.abs(count) === 1 ? word : word + "s");
  }

  function setUpCopyLinks() {
    document.querySelectorAll("button.copy-link[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          button.textContent = "Link copied";
          setTimeout(function () { button.textContent = "Copy link"; }, 2000);
        }, function () {
          window.location.hash = button.dataset.copy.split("#")[1] || "";
        });
      });
    });
  }

  function showVote(form, myVote, score) {
    form.querySelectorAll("button[data-vote]").forEach(function (button) {
      var direction = Number(button.dataset.vote);
      var pressed = myVote === direction;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "0" : String(direction);
    });
    form.querySelector(".vote-score").textContent = plural(score, "point");
  }

  function setUpVotes() {
    document.querySelectorAll("form.vote-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var button = event.submitter;
        if (!button || !window.fetch) return;
        event.preventDefault();
        fetch("/api/v1/comments/" + form.dataset.commentId + "/vote", {
          method: "PUT",
          credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRF-Token": csrfToken(form)},
          body: JSON.stringify({value: Number(button.value)})
        }).then(function (response) {
          return response.json().then(function (body) {
            if (response.ok) {
              showVote(form, body.my_vote, body.score);
              say(form, "");
            } else {
              say(form, body.detail || "The vote did not count; try again.");
            }
          });
        }).catch(function () {
          say(form, "The vote did not reach us; check your connection and try again.");
        });
      });
    });
  }

  function setUpLengthChecks() {
    document.querySelectorAll("form[data-keep-text]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var box = form.querySelector("textarea[name=body]");
        var limit = Number(box.getAttribute("maxlength"));
        if (!limit || box.value.length <= limit) return;
        event.preventDefault();
        var errors = form.querySelector(".form-errors");
        errors.textContent = "";
        var message = document.createElement("p");
        message.className = "field-error";
        message.textContent = "Keep your comment to " + limit.toLocaleString("en") +
          " characters: this one has " + box.value.length.toLocaleString("en") +
          ". Your text is still here.";
        errors.appendChild(message);
        box.setAttribute("aria-invalid", "true");
        box.focus();
      });
    });
  }

  function setUpReplyFocus() {
    document.querySelectorAll("details.comment-reply").forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (details.open) details.querySelector("textarea").focus();
      });
    });
  }

  setUpCopyLinks();
  setUpVotes();
  setUpLengthChecks();
  setUpReplyFocus();
})();
