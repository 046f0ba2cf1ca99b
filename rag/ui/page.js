() => {
  if (window.ragCiteInstalled) return;
  window.ragCiteInstalled = true;
  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a.cite") : null;
    if (!link) return;
    const ref = link.dataset.cite || new URL(link.href, location.href).searchParams.get("cite");
    // In the lookup tab, or the documents tab, a citation opens in the lookup tab; anywhere
    // else, in the source panel.
    const inLookup = link.closest("#rag-lookup-tab, #rag-docs-tab");
    const button = inLookup ? document.querySelector("#rag-look-go button, button#rag-look-go")
                            : document.querySelector("#rag-cite-go button, button#rag-cite-go");
    if (!ref || !button) return;
    event.preventDefault();
    event.stopPropagation();
    // A marker's link carries the sentences the answer quotes from the paragraph (hl=…), to be
    // marked in the panel; its preview (the title) names the first on its second line.
    const quoted = new URL(link.href, location.href).searchParams.getAll("hl");
    if (!quoted.length) quoted.push((link.getAttribute("title") || "").split("\n")[1] || "");
    window.ragCiteRequest = [ref, ...quoted.filter(Boolean)].join("\u0001");
    button.click();
    // The address names the paragraph, so it can be shared; Back returns to where the user was.
    const here = new URL(location.href);
    here.searchParams.set("cite", ref.replace(/^§/, "").replace(" §", ":"));
    history.pushState({ragCite: ref}, "", here);
  }, true);
  window.addEventListener("popstate", () => {
    if (new URL(location.href).searchParams.get("cite")) return;
    const close = document.querySelector("#rag-panel-close button, button#rag-panel-close");
    if (close) close.click();  // Back closes the source panel
  });
  // A suggested question: put it in the box and ask it.
  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a.ask") : null;
    const box = document.querySelector("#rag-question textarea");
    const send = document.querySelector("#rag-send");
    if (!link || !box || !send) return;
    event.preventDefault();
    event.stopPropagation();
    box.value = new URL(link.href, location.href).searchParams.get("ask") || link.textContent;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    setTimeout(() => send.click(), 50);
  }, true);
  // Copy gives plain text, not the message's HTML: the whole answer (folded sentences too)
  // with its markers, then a numbered list of its sources (id and section). "Copy as
  // Markdown" gives the same as Markdown, each source linked to its paragraph.
  const answerText = (answer) => [...answer.querySelectorAll(".text")].map((p) => {
    const copy = p.cloneNode(true);
    copy.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
    return copy.textContent.trim();
  }).filter(Boolean).join(" ");
  const answerSources = (answer) => [...answer.querySelectorAll(".sources li.source")].map((li) => {
    const link = li.querySelectorAll("a.cite")[1];
    return {id: link?.textContent.replace(/[\[\]]/g, "") || "", href: link ? new URL(link.getAttribute("href"), location.href).href : "",
            section: li.querySelector(".sec")?.textContent || "", quote: li.querySelector(".quote")?.textContent || ""};
  });
  const plainCopy = (answer) => {
    const sources = answerSources(answer).map((s, i) => `[${i + 1}] ${s.id} ${s.section}`.trim());
    const text = answerText(answer);
    return sources.length ? `${text}\n\n${sources.join("\n")}` : text;
  };
  const markdownCopy = (answer) => {
    const sources = answerSources(answer).map((s, i) => `${i + 1}. [${s.id}](${s.href}) ${s.section}` + (s.quote ? `: “${s.quote}”` : ""));
    const text = answerText(answer).replace(/([*_`#>])/g, "\\$1");
    return sources.length ? `${text}\n\n${sources.join("\n")}\n` : text;
  };
  const copied = (node) => { node.classList.add("copied"); setTimeout(() => node.classList.remove("copied"), 1500); };
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("#rag-chat button[aria-label='Copy message']") : null;
    if (!button) return;
    const answers = [...document.querySelectorAll("#rag-chat .rag-answer")]
      .filter(a => a.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
    const answer = answers[answers.length - 1];
    if (!answer || !navigator.clipboard) return;
    // Only the answer just above this button: a question's own copy button comes before it.
    const questions = [...document.querySelectorAll("#rag-chat .rag-question")]
      .filter(q => q.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
    const lastQuestion = questions[questions.length - 1];
    if (lastQuestion && answer.compareDocumentPosition(lastQuestion) & Node.DOCUMENT_POSITION_FOLLOWING) return;
    event.preventDefault();
    event.stopPropagation();
    navigator.clipboard.writeText(plainCopy(answer));
  }, true);
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("#rag-chat a.copy-md") : null;
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const answer = link.closest(".rag-answer");
    if (answer && navigator.clipboard) navigator.clipboard.writeText(markdownCopy(answer)).then(() => copied(link));
  }, true);
  // A live count of the question's characters against the limit, under the box; empty once the
  // question is sent (Gradio clears the box without an input event, so page changes recount too).
  const recount = () => {
    const box = document.querySelector("#rag-question textarea");
    if (!box) return;
    let count = document.getElementById("rag-count");
    if (!count) {
      if (!box.value) return;
      count = document.createElement("div");
      count.id = "rag-count";
      count.setAttribute("aria-live", "polite");
      box.insertAdjacentElement("afterend", count);
    }
    const limit = __MAX_QUESTION_CHARS__;
    const text = box.value ? `${box.value.length} / ${limit}` : "";
    if (count.textContent !== text) count.textContent = text;
    count.classList.toggle("over", box.value.length > limit);
  };
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLTextAreaElement && event.target.closest("#rag-question")) recount();
  });
  new MutationObserver(recount).observe(document.body, {subtree: true, childList: true});
  // The source panel opens on the cited paragraph, wherever it sits among its neighbours, and
  // takes the keyboard focus; Escape (or Back) closes it and gives the focus back to the marker.
  let shownTarget = null;
  let opener = null;
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("#rag-chat a.cite") : null;
    if (link) opener = link;
  }, true);
  new MutationObserver(() => {
    const target = document.querySelector("#rag-panel .para-view.target");
    if (!target || target === shownTarget) return;
    shownTarget = target;
    (target.querySelector("mark") || target).scrollIntoView({block: "center", behavior: "instant"});
    target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: true});
  }).observe(document.body, {subtree: true, childList: true});
  document.addEventListener("keydown", (event) => {
    const panel = document.querySelector("#rag-panel");
    if (event.key !== "Escape" || !panel || !panel.classList.contains("open")) return;
    if (new URL(location.href).searchParams.get("cite")) history.back();  // closes it, as Back does
    else document.querySelector("#rag-panel-close button, button#rag-panel-close")?.click();
    if (opener && opener.isConnected) opener.focus({preventScroll: true});
  });
  // The chat's messages are labelled with their raw HTML by the component; a screen reader
  // should read the message itself.
  // The examples are buttons in a "list", which a list may not hold: they are a group.
  const relabel = () => {
    document.querySelectorAll("#rag-chat [data-testid='bot'][aria-label], #rag-chat [data-testid='user'][aria-label]")
      .forEach((m) => m.removeAttribute("aria-label"));
    document.querySelectorAll("#rag-chat .examples[role='list']").forEach((e) => e.setAttribute("role", "group"));
  };
  // A new answer is shown from its top, with its question above it: the sources under it
  // never push it out of view. (The chat's own autoscroll would go to the bottom.) It takes
  // the focus, so a keyboard or screen-reader user lands on it.
  let seen = 0;
  new MutationObserver(() => {
    relabel();
    const answers = document.querySelectorAll("#rag-chat .rag-answer:not(.streaming)");
    if (answers.length === seen) return;
    const grew = answers.length > seen;
    seen = answers.length;
    if (!grew) return;
    const questions = document.querySelectorAll("#rag-chat .rag-question");
    const target = questions[questions.length - 1] || answers[answers.length - 1];
    target.scrollIntoView({block: "start", behavior: "instant"});
    const answer = answers[answers.length - 1];
    answer.setAttribute("tabindex", "-1");
    answer.focus({preventScroll: true});
  }).observe(document.body, {subtree: true, childList: true});

  // The Documents tab (rag/ui/uploads.py): a file goes as the request's body, its name in a
  // header; a removal as {key}. Then the server draws the list again with what happened
  // (#rag-docs-go reads window.ragDocsMessage). Messages are set as text, never as HTML.
  const docsForm = () => document.querySelector("#rag-doc-add");
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (all, name) => name in values ? String(values[name]) : all);
  const docsSay = (text, failed) => {
    const status = document.querySelector("#rag-docs-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", !!failed);
    status.setAttribute("role", failed ? "alert" : "status");
  };
  const docsDone = (text, failed) => {
    window.ragDocsMessage = JSON.stringify({text, failed});
    document.querySelector("#rag-docs-go button, button#rag-docs-go")?.click();
  };
  const docsSend = async (path, body, headers) => {
    const form = docsForm();
    try {
      const response = await fetch(new URL(path, location.href), {method: "POST", body, headers, credentials: "same-origin"});
      const reply = await response.json().catch(() => ({}));
      if (response.ok) return [reply, ""];
      return [null, (form?.dataset.lang === "zh" ? reply.error_zh : reply.error) || `HTTP ${response.status}`];
    } catch (error) {  // no answer at all: the network, or the server stopped
      return [null, fill(form?.dataset.failed || "{message}", {message: String(error?.message || error)})];
    }
  };
  document.addEventListener("submit", async (event) => {
    const form = event.target instanceof Element ? event.target.closest("#rag-doc-add") : null;
    if (!form) return;
    event.preventDefault();
    const input = form.querySelector("input[type=file]");
    const file = input?.files?.[0];
    if (!file) { docsSay(form.dataset.pick, true); input?.focus(); return; }
    form.querySelectorAll("input, button").forEach((el) => { el.disabled = true; });
    form.setAttribute("aria-busy", "true");
    docsSay(fill(form.dataset.adding, {name: file.name}), false);
    const [reply, error] = await docsSend("documents/upload", file,
      {"X-Filename": encodeURIComponent(file.name), "Content-Type": "application/octet-stream"});
    // The list is patched in place when drawn again: the form is made ready for the next file here.
    form.querySelectorAll("input, button").forEach((el) => { el.disabled = false; });
    form.removeAttribute("aria-busy");
    if (reply) form.reset();
    docsDone(reply ? fill(form.dataset.added, {key: reply.key, title: reply.title || file.name}) : error, !reply);
  });
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("#rag-docs button.doc-remove") : null;
    const form = docsForm();
    if (!button || !form) return;
    const key = button.dataset.key;
    if (!window.confirm(fill(form.dataset.confirm, {key}))) return;
    button.disabled = true;
    docsSay(fill(form.dataset.removing, {key}), false);
    const [reply, error] = await docsSend("documents/remove", JSON.stringify({key}), {"Content-Type": "application/json"});
    button.disabled = false;
    docsDone(reply ? fill(form.dataset.removed, {key: reply.key}) : error, !reply);
  });
}
