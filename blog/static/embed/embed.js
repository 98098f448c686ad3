// The comments embed for host sites: one script tag, no framework, no inline script or style.
//
//   <div data-comments data-url="https://news.example.com/a" data-title="A"></div>
//   <span data-comment-count data-url="https://news.example.com/a"></span>
//   <script src="https://comments.example.com/embed.js" async></script>
//
// It talks to the JSON API of the site that served it with a bearer token kept in this page's
// localStorage (no cookies: it works with third-party cookies blocked; why is in
// blog/embed/views.py). Signing in: a JWT from the host (`data-sso-token`, or `data-sso-callback`
// naming a function that returns one or a promise of one) exchanged at /api/v1/auth/sso, else
// this site's own sign-in in a popup. Comment bodies arrive sanitized by the server (bleach);
// everything else is written with textContent.
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[src*='/embed.js']");
  var BASE = new URL(script.src, location.href).origin;
  var API = BASE + "/api/v1";
  var STORE_KEY = "comments-embed:" + BASE;
  var PAGE_SIZE = 20;
  var REASONS = [["spam", "Spam"], ["abuse", "Abuse"], ["off_topic", "Off topic"],
                 ["other", "Something else"]];
  var LEVELS = [["", "Not following"], ["all", "Every comment"],
                ["replies", "Replies to me"], ["muted", "Muted"]];

  // -- small helpers ------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function loadSession() {
    try { return JSON.parse(localStorage.getItem(STORE_KEY)) || null; } catch (e) { return null; }
  }

  function saveSession(session) {
    try {
      if (session) localStorage.setItem(STORE_KEY, JSON.stringify(session));
      else localStorage.removeItem(STORE_KEY);
    } catch (e) { /* storage blocked: the session lasts as long as the page */ }
  }

  var session = loadSession();

  function request(method, path, body) {
    var headers = {"Accept": "application/json"};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (session && session.token) headers["Authorization"] = "Bearer " + session.token;
    return fetch(API + path, {
      method: method, headers: headers, credentials: "omit", mode: "cors",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 401 && session) { saveSession(session = null); }
      if (response.status === 204) return null;
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok) return data;
        var error = new Error(problemText(data, response));
        error.status = response.status;
        error.problem = data;
        throw error;
      });
    });
  }

  function problemText(problem, response) {
    var messages = [];
    Object.keys((problem && problem.errors) || {}).forEach(function (field) {
      [].concat(problem.errors[field]).forEach(function (message) {
        if (typeof message === "string") messages.push(message);
      });
    });
    var text = messages.length ? messages.join(" ") : (problem && problem.detail) ||
      "Something went wrong (" + response.status + "). Please try again.";
    var wait = response.headers.get("Retry-After");
    if (response.status === 429 && wait) text += " Try again in " + wait + " s.";
    return text;
  }

  function jwtSubject(token) {
    try {
      var payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return (payload.iss || "") + " " + payload.sub;
    } catch (e) { return null; }
  }

  // -- signing in ----------------------------------------------------------------------------

  function ssoToken(host) {
    if (host.dataset.ssoToken) return Promise.resolve(host.dataset.ssoToken);
    var callback = host.dataset.ssoCallback && window[host.dataset.ssoCallback];
    if (typeof callback !== "function") return Promise.resolve(null);
    return Promise.resolve(callback()).catch(function () { return null; });
  }

  /** Sign in with the host's token, unless this page already holds a session for that reader. */
  function signInBySso(host) {
    return ssoToken(host).then(function (token) {
      if (!token) return;
      var subject = jwtSubject(token);
      if (session && session.sso === subject) return;
      return request("POST", "/auth/sso", {token: token}).then(function (answer) {
        saveSession(session = {token: answer.token, user: answer.user, sso: subject});
      }).catch(function () { saveSession(session = null); });
    });
  }

  function signInByPopup() {
    return new Promise(function (resolve, reject) {
      var popup = window.open(BASE + "/embed/sign-in?origin=" + encodeURIComponent(location.origin),
                              "comments-sign-in", "width=480,height=640");
      if (!popup) { reject(new Error("Allow pop-ups for this site to sign in.")); return; }
      function onMessage(event) {
        if (event.origin !== BASE || !event.data || event.data.type !== "comments-embed:signed-in")
          return;
        window.removeEventListener("message", onMessage);
        saveSession(session = {token: event.data.token, user: event.data.user, sso: null});
        resolve();
      }
      window.addEventListener("message", onMessage);
    });
  }

  // -- one thread ----------------------------------------------------------------------------

  function Thread(host) {
    this.host = host;
    this.url = host.dataset.url || location.href.split("#")[0];
    this.title = host.dataset.title || document.title;
    this.sort = "oldest";
    this.post = null;
  }

  Thread.prototype.start = function () {
    var thread = this;
    this.host.classList.add("ce-root");
    this.status = el("p", {className: "ce-status", role: "status", "aria-live": "polite"});
    this.host.replaceChildren(el("p", {className: "ce-muted", text: "Loading comments…"}));
    return signInBySso(this.host).then(function () { return thread.findPost(); })
      .then(function () { return thread.render(); })
      .catch(function (error) {
        thread.host.replaceChildren(el("p", {className: "ce-error", role: "alert",
                                             text: error.message}));
      });
  };

  Thread.prototype.findPost = function () {
    var thread = this;
    return request("GET", "/posts?url=" + encodeURIComponent(this.url)).then(function (page) {
      if (page.items.length) { thread.post = page.items[0]; return; }
      return request("PUT", "/threads", {url: thread.url, title: thread.title})
        .then(function (post) { thread.post = post; })
        .catch(function () { throw new Error("Comments are not open on this page yet."); });
    });
  };

  Thread.prototype.render = function () {
    var thread = this;
    this.list = el("ol", {className: "ce-list"});
    this.more = el("button", {type: "button", className: "ce-more", hidden: true,
                              text: "Load more comments", onclick: function () { thread.load(); }});
    this.heading = el("h2", {className: "ce-title", id: "ce-title-" + this.post.slug});
    this.host.setAttribute("aria-labelledby", this.heading.id);
    this.host.setAttribute("role", "region");
    this.host.replaceChildren(
      el("div", {className: "ce-bar"}, [this.heading, this.sortControl(), this.accountBar()]),
      this.followControl(), this.status, this.post.comments_open === false ?
        el("p", {className: "ce-muted", text: "Comments are closed."}) : this.composer(null),
      this.list, this.more);
    return this.reload();
  };

  Thread.prototype.reload = function () {
    this.cursor = null;
    this.list.replaceChildren();
    return this.load();
  };

  Thread.prototype.load = function () {
    var thread = this;
    var query = "?sort=" + this.sort + "&limit=" + PAGE_SIZE +
      (this.cursor ? "&cursor=" + encodeURIComponent(this.cursor) : "");
    return Promise.all([
      request("GET", "/posts/" + this.post.slug + "/comments" + query),
      request("GET", "/comment-counts?post=" + encodeURIComponent(this.post.slug))
    ]).then(function (answers) {
      var page = answers[0], count = answers[1][thread.post.slug] || 0;
      thread.heading.textContent = plural(count, "comment", "comments");
      page.items.forEach(function (comment) { thread.list.appendChild(thread.comment(comment)); });
      if (!thread.list.children.length)
        thread.list.appendChild(el("li", {className: "ce-muted", text: "No comments yet."}));
      thread.cursor = page.next_cursor;
      thread.more.hidden = !page.next_cursor;
    });
  };

  Thread.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.className = "ce-status" + (isError ? " ce-error" : "");
  };

  Thread.prototype.sortControl = function () {
    var thread = this;
    var id = "ce-sort-" + this.post.slug;
    var select = el("select", {id: id, onchange: function () {
      thread.sort = select.value; thread.reload();
    }}, [["oldest", "Oldest"], ["newest", "Newest"], ["top", "Top"]].map(function (option) {
      return el("option", {value: option[0], text: option[1]});
    }));
    return el("span", {className: "ce-sort"}, [el("label", {"for": id, text: "Sort "}), select]);
  };

  Thread.prototype.accountBar = function () {
    var thread = this;
    var bar = el("span", {className: "ce-account"});
    if (!session) {
      bar.appendChild(el("button", {type: "button", text: "Sign in to comment", onclick: function () {
        signInByPopup().then(function () { thread.render(); })
          .catch(function (error) { thread.say(error.message, true); });
      }}));
      return bar;
    }
    var unread = el("button", {type: "button", className: "ce-unread", "aria-expanded": "false",
                               text: "Notifications"});
    var panel = el("div", {className: "ce-panel", hidden: true});
    unread.addEventListener("click", function () { thread.toggleNotifications(unread, panel); });
    request("GET", "/me/notifications/unread-count").then(function (answer) {
      unread.textContent = plural(answer.count, "unread notification", "unread notifications");
    }).catch(function () {});
    bar.append(el("span", {className: "ce-me", text: "Signed in as " + session.user.display_name}),
               unread,
               el("button", {type: "button", text: "Sign out", onclick: function () {
                 saveSession(session = null); thread.render();
               }}), panel);
    return bar;
  };

  Thread.prototype.toggleNotifications = function (button, panel) {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (!open) return;
    request("GET", "/me/notifications?limit=5").then(function (page) {
      var items = page.items.map(function (note) {
        var text = (note.actor ? note.actor.display_name + ": " : "") +
          (note.comment ? note.comment.excerpt : (note.post ? note.post.title : note.kind));
        return el("li", {}, [el("a", {href: note.url, text: text})]);
      });
      panel.replaceChildren(items.length ? el("ul", {}, items) :
                            el("p", {className: "ce-muted", text: "Nothing new."}));
      request("POST", "/me/notifications/read", {all: true}).then(function () {
        button.textContent = plural(0, "unread notification", "unread notifications");
      }).catch(function () {});
    });
  };

  Thread.prototype.followControl = function () {
    if (!session) return null;
    var thread = this, slug = this.post.slug, id = "ce-follow-" + slug;
    var select = el("select", {id: id}, LEVELS.map(function (level) {
      return el("option", {value: level[0], text: level[1]});
    }));
    request("GET", "/me/follows").then(function (answer) {
      answer.items.forEach(function (follow) {
        if (follow.type === "post" && follow.target === slug) select.value = follow.level;
      });
    }).catch(function () {});
    select.addEventListener("change", function () {
      var path = "/me/follows/posts/" + encodeURIComponent(slug);
      var done = select.value ? request("PUT", path, {level: select.value})
                              : request("DELETE", path);
      done.then(function () { thread.say("Follow setting saved."); })
          .catch(function (error) { thread.say(error.message, true); });
    });
    return el("p", {className: "ce-follow"}, [el("label", {"for": id, text: "Follow this thread: "}),
                                               select]);
  };

  /** A form for a new comment (parentId null), a reply, or an edit (comment given). */
  Thread.prototype.composer = function (parentId, comment, onDone) {
    var thread = this;
    if (!session) return null;
    var id = "ce-text-" + this.post.slug + "-" + (comment ? "edit-" + comment.id : parentId || "new");
    var text = el("textarea", {id: id, rows: parentId || comment ? 3 : 4, maxlength: 10000,
                               required: true});
    var error = el("p", {className: "ce-error", role: "alert"});
    var label = comment ? "Edit your comment" : parentId ? "Your reply" : "Your comment";
    var form = el("form", {className: "ce-form"}, [
      el("label", {"for": id, text: label}), text, error,
      el("button", {type: "submit", text: comment ? "Save" : parentId ? "Reply" : "Post comment"})
    ]);
    if (comment) {
      request("GET", "/comments/" + comment.id).then(function (full) { text.value = full.body; });
    }
    // After a toxicity nudge (a 422 with a nudge_token), posting again sends the token: the
    // same text then goes to the moderators' queue, a changed one is scored afresh.
    var nudgeToken = null;
    function newComment() {
      var body = {body: text.value};
      if (parentId) body.parent_id = parentId;
      if (nudgeToken) body.nudge_token = nudgeToken;
      return body;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.textContent = "";
      var sent = comment
        ? request("PATCH", "/comments/" + comment.id, {body: text.value})
        : request("POST", "/posts/" + thread.post.slug + "/comments", newComment());
      sent.then(function (saved) {
        nudgeToken = null;
        text.value = "";
        thread.say(saved.status === "pending"
          ? "Thanks! Your comment will appear once a moderator has read it."
          : comment ? "Your comment was saved." : "Your comment was posted.");
        if (onDone) onDone();
        return thread.reload();
      }).catch(function (failure) {  // the text is kept
        nudgeToken = (failure.problem && failure.problem.nudge_token) || null;
        error.textContent = failure.message;
      });
    });
    return form;
  };

  Thread.prototype.comment = function (comment) {
    var item = el("li", {className: "ce-comment" + (comment.status === "pending" ? " ce-pending" : ""),
                         id: "comment-" + comment.id});
    if (comment.deleted) {
      item.appendChild(el("p", {className: "ce-muted", text: "This comment was removed."}));
    } else {
      var when = new Date(comment.created_at);
      var meta = el("p", {className: "ce-meta"}, [
        el("strong", {text: comment.author ? comment.author.display_name : "Deleted user"}), " · ",
        el("time", {datetime: comment.created_at, text: when.toLocaleString()}),
        comment.edited_at ? " · edited" : null,
        comment.status === "pending" ? el("span", {className: "ce-badge", text: "Awaiting moderation"})
                                     : null
      ]);
      var body = el("div", {className: "ce-body"});
      body.innerHTML = comment.body_html;  // sanitized by the server's allowlist (bleach)
      item.append(meta, body, this.actions(comment, item));
    }
    if (comment.replies && comment.replies.length) {
      var thread = this;
      item.appendChild(el("ol", {className: "ce-replies"}, comment.replies.map(function (reply) {
        return thread.comment(reply);
      })));
    }
    return item;
  };

  Thread.prototype.actions = function (comment, item) {
    var thread = this, bar = el("div", {className: "ce-actions"});
    var name = comment.author ? comment.author.display_name : "a deleted user";
    var score = el("span", {className: "ce-score", text: plural(comment.score, "point", "points")});
    var mine = session && comment.author && comment.author.id === session.user.id;
    var approved = comment.status !== "pending";
    bar.appendChild(score);
    if (!session || !approved) return bar;
    if (!mine) {
      [[1, "Upvote"], [-1, "Downvote"]].forEach(function (vote) {
        bar.appendChild(el("button", {
          type: "button", "aria-pressed": String(comment.my_vote === vote[0]),
          "aria-label": (vote[0] > 0 ? "Upvote" : "Downvote") + " the comment by " + name,
          text: vote[1], onclick: function () {
            var value = comment.my_vote === vote[0] ? 0 : vote[0];
            request("PUT", "/comments/" + comment.id + "/vote", {value: value}).then(function (r) {
              comment.my_vote = r.my_vote; comment.score = r.score;
              item.replaceWith(thread.comment(comment));
            }).catch(function (error) { thread.say(error.message, true); });
          }}));
      });
    }
    var slot = el("div", {className: "ce-slot"});
    function open(form) {
      slot.replaceChildren(form);
      var first = form.querySelector("textarea, select");
      if (first) first.focus();
    }
    if (this.post.comments_open !== false) {
      bar.appendChild(el("button", {type: "button", text: "Reply",
        "aria-label": "Reply to " + name,
        onclick: function () { open(thread.composer(comment.id)); }}));
    }
    if (mine) {
      bar.appendChild(el("button", {type: "button", text: "Edit", onclick: function () {
        open(thread.composer(null, comment));
      }}));
      bar.appendChild(el("button", {type: "button", text: "Delete", onclick: function () {
        if (!window.confirm("Delete your comment? This cannot be undone.")) return;
        request("DELETE", "/comments/" + comment.id).then(function () {
          thread.say("Your comment was deleted."); return thread.reload();
        }).catch(function (error) { thread.say(error.message, true); });
      }}));
    } else {
      bar.appendChild(el("button", {type: "button", text: "Report",
        "aria-label": "Report the comment by " + name,
        onclick: function () { open(thread.reportForm(comment, slot)); }}));
    }
    return el("div", {}, [bar, slot]);
  };

  Thread.prototype.reportForm = function (comment, slot) {
    var thread = this, id = "ce-reason-" + comment.id;
    var reason = el("select", {id: id}, REASONS.map(function (r) {
      return el("option", {value: r[0], text: r[1]});
    }));
    var note = el("input", {id: id + "-note", type: "text", maxlength: 500});
    var error = el("p", {className: "ce-error", role: "alert"});
    var form = el("form", {className: "ce-form"}, [
      el("label", {"for": id, text: "Why should a moderator look at it?"}), reason,
      el("label", {"for": id + "-note", text: "A note (optional)"}), note, error,
      el("button", {type: "submit", text: "Send report"})
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      request("POST", "/comments/" + comment.id + "/flags",
              {reason: reason.value, note: note.value}).then(function () {
        slot.replaceChildren();
        thread.say("Thanks, a moderator will look at it.");
      }).catch(function (failure) { error.textContent = failure.message; });
    });
    return form;
  };

  // -- counts anywhere on the page: one request for all ------------------------------------------

  function fillCounts() {
    var spans = [].slice.call(document.querySelectorAll("[data-comment-count][data-url]"));
    if (!spans.length) return;
    var urls = spans.map(function (span) { return span.dataset.url; });
    var query = urls.filter(function (url, i) { return urls.indexOf(url) === i; })
      .map(function (url) { return "url=" + encodeURIComponent(url); }).join("&");
    request("GET", "/comment-counts?" + query).then(function (counts) {
      spans.forEach(function (span) {
        span.textContent = plural(counts[span.dataset.url] || 0, "comment", "comments");
      });
    }).catch(function () {});
  }

  function start() {
    document.head.appendChild(el("link", {rel: "stylesheet",
                                          href: BASE + "/embed.css?v=__STYLE_VERSION__"}));
    [].forEach.call(document.querySelectorAll("[data-comments]"), function (host) {
      new Thread(host).start();
    });
    fillCounts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
