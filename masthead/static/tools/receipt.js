// The receipt card: focusing or hovering a field outlines where it was read on the image.
// Without JavaScript the card still works: the form posts the corrected values for download.
const card = document.querySelector("[data-receipt]");
if (card) {
  const boxes = (name) => card.querySelectorAll(`[data-receipt-box="${CSS.escape(name)}"]`);
  const show = (name, on) => boxes(name).forEach((box) => box.classList.toggle("is-active", on));
  card.querySelectorAll("[data-receipt-field]").forEach((label) => {
    const name = label.dataset.receiptField;
    const input = label.querySelector("input");
    if (!boxes(name).length) return;
    label.classList.add("has-box");
    for (const [event, on] of [["focusin", true], ["focusout", false], ["mouseenter", true], ["mouseleave", false]]) {
      label.addEventListener(event, () => show(name, on));
    }
    input?.addEventListener("input", () => label.classList.add("is-edited"));
  });
}
