// Enhances the feedback form; it works without this file. Adds a live
// character count, checks the one required choice before sending, and
// keeps a second tap from sending twice (the server's request id already
// makes a repeat harmless).
(function () {
  "use strict";
  var form = document.getElementById("rate");
  if (!form) return;
  var send = document.getElementById("send");
  var comment = document.getElementById("comment");
  var count = document.getElementById("comment-count");
  var levelErr = document.getElementById("level-error");
  var group = document.getElementById("level-group");
  var sending = false;

  function updateCount() {
    var max = Number(count.getAttribute("data-max"));
    var n = Array.from(comment.value).length;
    count.textContent = "已输入 " + n + " / " + max + " 字";
    count.classList.toggle("over", n > max);
  }
  if (comment && count) {
    comment.addEventListener("input", updateCount);
    updateCount();
  }

  function levelChosen() {
    return form.querySelector('input[name="level"]:checked') !== null;
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "level" && levelChosen()) {
      levelErr.hidden = true;
      group.classList.remove("invalid");
      group.removeAttribute("aria-describedby");
    }
  });

  form.addEventListener("submit", function (e) {
    if (sending) {
      e.preventDefault();
      return;
    }
    if (!levelChosen()) {
      e.preventDefault();
      levelErr.hidden = false;
      group.classList.add("invalid");
      group.setAttribute("aria-describedby", "level-error");
      form.querySelector('input[name="level"]').focus();
      return;
    }
    sending = true;
    send.disabled = true;
    send.textContent = "正在提交…";
  });

  // Coming back to this page from the browser's memory: allow sending
  // again (it records nothing new; the server answers as the first time).
  window.addEventListener("pageshow", function (e) {
    // The browser may have put a comment back into the box by now.
    if (comment && count) updateCount();
    if (e.persisted) {
      sending = false;
      send.disabled = false;
      send.textContent = "提交评价";
    }
  });
})();
