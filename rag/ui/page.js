() => {
  if (window.ragCiteInstalled) return;
  window.ragCiteInstalled = true;
  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a.cite") : null;
    if (!link) return;
    const ref = link.dataset.cite || new URL(link.href, location.href).searchParams.get("cite");
    // In the lookup tab a citation opens there; anywhere else, in the source panel.
    const inLookup = link.closest("#rag-lookup-tab");
    const button = inLookup ? document.querySelector("#rag-look-go button, button#rag-look-go")
                            : document.querySelector("#rag-cite-go button, button#rag-cite-go");
    if (!ref || !button) return;
    event.preventDefault();
    event.stopPropagation();
    // The marker's preview (its title) names the quoted sentence on its second line.
    const quoted = (link.getAttribute("title") || "").split("\n")[1] || "";
    window.ragCiteRequest = quoted ? ref + "\u0001" + quoted : ref;
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
  // Copy gives plain text, not the message's HTML: the answer with its markers, then a
  // numbered list of its sources (id and section).
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
    const text = (answer.querySelector(".text") || answer).innerText.trim();
    const sources = [...answer.querySelectorAll(".sources li.source")].map((li, i) => {
      const id = li.querySelectorAll("a.cite")[1]?.textContent.replace(/[\[\]]/g, "") || "";
      const section = li.querySelector(".sec")?.textContent || "";
      return `[${i + 1}] ${id} ${section}`.trim();
    });
    navigator.clipboard.writeText(sources.length ? `${text}\n\n${sources.join("\n")}` : text);
  }, true);
  // A live count of the question's characters against the limit, under the box.
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || !box.closest("#rag-question")) return;
    let count = document.getElementById("rag-count");
    if (!count) {
      count = document.createElement("div");
      count.id = "rag-count";
      count.setAttribute("aria-live", "polite");
      box.insertAdjacentElement("afterend", count);
    }
    const limit = __MAX_QUESTION_CHARS__;
    count.textContent = `${box.value.length} / ${limit}`;
    count.classList.toggle("over", box.value.length > limit);
  });
  // The source panel opens on the cited paragraph, wherever it sits among its neighbours.
  let shownTarget = null;
  new MutationObserver(() => {
    const target = document.querySelector("#rag-panel .para-view.target");
    if (!target || target === shownTarget) return;
    shownTarget = target;
    (target.querySelector("mark") || target).scrollIntoView({block: "center", behavior: "instant"});
  }).observe(document.body, {subtree: true, childList: true});
  // A new answer is shown from its top, with its question above it: the sources under it
  // never push it out of view. (The chat's own autoscroll would go to the bottom.)
  let seen = 0;
  new MutationObserver(() => {
    const answers = document.querySelectorAll("#rag-chat .rag-answer:not(.streaming)");
    if (answers.length === seen) return;
    const grew = answers.length > seen;
    seen = answers.length;
    if (!grew) return;
    const questions = document.querySelectorAll("#rag-chat .rag-question");
    const target = questions[questions.length - 1] || answers[answers.length - 1];
    target.scrollIntoView({block: "start", behavior: "instant"});
  }).observe(document.body, {subtree: true, childList: true});
}
