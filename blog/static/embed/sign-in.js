// The sign-in popup's last page: hands the embed's token to the page that opened it, on the
// origin the server checked against EMBED_ORIGINS (never "*"), then closes.
(function () {
  "use strict";
  var handover = document.getElementById("embed-handover");
  if (!handover || !window.opener) return;
  window.opener.postMessage({
    type: "comments-embed:signed-in",
    token: handover.dataset.token,
    user: JSON.parse(handover.dataset.user)
  }, handover.dataset.origin);
  window.close();
})();
