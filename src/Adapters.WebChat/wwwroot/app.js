// OpenClaw web chat: plain JavaScript, no build step. Answers arrive as Server-Sent Events and carry HTML the hub
// rendered from Markdown and made safe (raw HTML escaped, unsafe link schemes dropped); user text is shown as text.
"use strict";

(() => {
  const conversation = document.getElementById("conversation");
  const empty = document.getElementById("empty");
  const form = document.getElementById("composer");
  const input = document.getElementById("input");
  const status = document.getElementById("status");
  const resetButton = document.getElementById("reset");

  const newId = () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes); // works outside secure contexts too, unlike crypto.randomUUID
    return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
  };

  const nearBottom = () => conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 80;
  const scrollDown = () => { conversation.scrollTop = conversation.scrollHeight; };

  const add = (role, id) => {
    empty.hidden = true;
    const div = document.createElement("div");
    div.className = "msg " + role;
    if (id) { div.dataset.id = id; }
    conversation.appendChild(div);
    return div;
  };

  const showUser = text => { add("user").textContent = text; scrollDown(); };
  const showError = text => { add("error").textContent = text; scrollDown(); };

  const showAnswer = (id, html, final) => {
    const follow = nearBottom();
    let div = id ? conversation.querySelector(`.msg.assistant[data-id="${CSS.escape(id)}"]`) : null;
    if (!div) { div = add("assistant", id); }
    div.innerHTML = html; // rendered and sanitized by the hub (WebChatMarkdown)
    div.classList.toggle("streaming", !final);
    div.dataset.updates = String(Number(div.dataset.updates || "0") + 1);
    if (follow) { scrollDown(); }
  };

  const post = async (text, id, attempt = 0) => {
    let response;
    try {
      response = await fetch("/webchat/api/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ id, text }),
      });
    } catch {
      response = null; // network error: retry with the same id, the hub drops a second copy
    }

    if (response && response.ok) { return true; }
    if ((!response || response.status >= 500) && attempt < 4) {
      await new Promise(resolve => setTimeout(resolve, 500 * 2 ** attempt));
      return post(text, id, attempt + 1);
    }

    let reason = response ? `HTTP ${response.status}` : "network error";
    try { reason = (await response.json()).reason || reason; } catch { /* not JSON */ }
    showError("Not sent: " + reason);
    return false;
  };

  // The stream opens first and its events wait while the history loads, so an answer finished in between is neither
  // lost nor shown twice: a waiting final answer equal to the history's last answer is the same message.
  let lastHistoryHtml = null;
  const loadHistory = async () => {
    const response = await fetch("/webchat/api/history", { credentials: "same-origin" });
    if (!response.ok) { showError(`Could not load the conversation (HTTP ${response.status}).`); return; }
    const { messages } = await response.json();
    for (const m of messages) {
      if (m.role === "user") { add("user").textContent = m.text; } else { add("assistant").innerHTML = m.html; lastHistoryHtml = m.html; }
    }
    scrollDown();
  };

  const connect = () => {
    const waiting = [];
    let started = false;
    let loaded = false;
    const events = new EventSource("/webchat/api/events");
    events.addEventListener("ready", async () => {
      status.textContent = "connected";
      if (!started) {
        started = true;
        try { await loadHistory(); } finally { loaded = true; }
        for (const m of waiting.splice(0)) {
          const known = conversation.querySelector(`.msg.assistant[data-id="${CSS.escape(m.id)}"]`);
          if (!(m.final && !known && m.html === lastHistoryHtml)) { showAnswer(m.id, m.html, m.final); }
        }
      }
      if (loaded) { document.body.dataset.ready = "true"; }
    });
    events.addEventListener("message", e => {
      const m = JSON.parse(e.data);
      if (loaded) { showAnswer(m.id, m.html, m.final); } else { waiting.push(m); }
    });
    events.onerror = () => { status.textContent = "reconnecting…"; document.body.dataset.ready = "false"; };
  };

  form.addEventListener("submit", async e => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    showUser(text);
    await post(text, newId());
    input.focus();
  });

  input.addEventListener("keydown", e => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });

  resetButton.addEventListener("click", async () => {
    conversation.querySelectorAll(".msg").forEach(m => m.remove());
    empty.hidden = false;
    await post("/reset", newId());
    input.focus();
  });

  connect();
  input.focus();
})();
