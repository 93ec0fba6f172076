// Laatu's few progressive touches. Every page works without this file.
"use strict";

// A select of document kinds keeps the number field's placeholder at the
// number a new document of the chosen kind will get.
for (const select of document.querySelectorAll("select[data-numbers-for]")) {
  const input = document.getElementById(select.dataset.numbersFor);
  if (!input) continue;
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    if (option && option.dataset.nextNumber) input.placeholder = option.dataset.nextNumber;
  });
}
