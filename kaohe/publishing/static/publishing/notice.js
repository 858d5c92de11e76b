/* The notice editor's first-page preview follows what is typed (no inline script: CSP). */
(function () {
  "use strict";
  var form = document.getElementById("notice-form");
  var preview = document.getElementById("notice-preview");
  if (!form || !preview) { return; }
  var MISSING = { doc_number: "（发文字号未填写）" };
  function update(field) {
    var name = field.getAttribute("data-preview");
    Array.prototype.forEach.call(preview.querySelectorAll('[data-show="' + name + '"]'), function (el) {
      var text = field.value.trim();
      if (name === "organisation" && text.length > 160) { text = text.slice(0, 159) + "…"; }
      el.textContent = text ? text + (el.getAttribute("data-suffix") || "") : (MISSING[name] || "");
      el.classList.toggle("np-empty", !text && !!MISSING[name]);
    });
  }
  function fitMark() {
    var mark = preview.querySelector(".np-mark");
    if (!mark) { return; }
    var size = 2.1;
    mark.style.fontSize = size + "em";
    while (mark.scrollWidth > mark.clientWidth && size > 0.8) {
      size -= 0.05;
      mark.style.fontSize = size + "em";
    }
  }
  form.addEventListener("input", fitMark);
  window.addEventListener("resize", fitMark);
  Array.prototype.forEach.call(form.querySelectorAll("[data-preview]"), function (field) {
    field.addEventListener("input", function () { update(field); });
    update(field);
  });
  fitMark();
})();
