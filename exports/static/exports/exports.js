// "Xuất Excel" on the submissions inbox: Wagtail changes the listing's filters
// without reloading the header, so the link takes the address bar's query when
// it is clicked.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-dlxh-export-query]');
  if (!link) return;
  const url = new URL(link.href, window.location.href);
  url.search = window.location.search;
  link.href = url.toString();
});
