/* newsdesk story page: select a sentence to highlight the source passages it cites.
   Plain DOM code, no framework, no build step. Passage ids are computed on the server. */
(function () {
  "use strict";

  function ids(el, name) {
    return (el.getAttribute(name) || "").split(/\s+/).filter(Boolean);
  }

  function clear() {
    document.querySelectorAll(".passage.highlight").forEach(function (el) { el.classList.remove("highlight"); });
    document.querySelectorAll(".quoted.exact").forEach(function (el) { el.classList.remove("exact"); });
    document.querySelectorAll(".source.cited").forEach(function (el) { el.classList.remove("cited"); });
    document.querySelectorAll(".sentence.selected").forEach(function (el) {
      el.classList.remove("selected");
      el.setAttribute("aria-pressed", "false");
    });
  }

  function mark(idList, cls) {
    var first = null;
    idList.forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.classList.add(cls); first = first || el; }
    });
    return first;
  }

  function selectSentence(sentence) {
    var wasSelected = sentence.classList.contains("selected");
    clear();
    if (wasSelected) { return; }
    sentence.classList.add("selected");
    sentence.setAttribute("aria-pressed", "true");
    mark(ids(sentence, "data-sources"), "cited");
    // Mark the very words of the evidence the verifier found, inside the passage.
    document.querySelectorAll(".quoted").forEach(function (el) {
      if (ids(el, "data-for").indexOf(sentence.id) >= 0) { el.classList.add("exact"); }
    });
    // No matching paragraph (source text unknown or reworded): the cited source cards show instead.
    var first = mark(ids(sentence, "data-passages"), "highlight") || document.getElementById(ids(sentence, "data-sources")[0] || "");
    if (first && first.scrollIntoView) { first.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
  }

  function selectPassage(passage) {
    var sentences = ids(passage, "data-supports");
    if (!sentences.length) { return; }
    var sentence = document.getElementById(sentences[0]);
    if (sentence) { selectSentence(sentence); }
  }

  document.addEventListener("click", function (ev) {
    if (ev.target.closest("a")) { return; }
    var sentence = ev.target.closest(".sentence");
    if (sentence) { selectSentence(sentence); return; }
    var passage = ev.target.closest(".passage");
    if (passage) { selectPassage(passage); }
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { clear(); return; }
    if (ev.key !== "Enter" && ev.key !== " ") { return; }
    var sentence = ev.target.closest && ev.target.closest(".sentence");
    if (sentence) { ev.preventDefault(); selectSentence(sentence); }
  });
})();
