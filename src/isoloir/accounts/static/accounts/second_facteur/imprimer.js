/*
 * On the recovery codes page: the print button only works with JavaScript, so it is
 * hidden in the markup and revealed here.
 */
(function () {
  "use strict";
  var bouton = document.getElementById("imprimer-codes");
  if (!bouton) { return; }
  bouton.hidden = false;
  bouton.addEventListener("click", function () { window.print(); });
})();
