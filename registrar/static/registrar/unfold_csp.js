/*
 * django-unfold under a Content-Security-Policy without 'unsafe-eval' (issue 10, item 1).
 *
 * Alpine's CSP build evaluates attribute expressions without eval, but it reads no globals: the
 * components unfold's templates name (theme(), searchForm() ...) are global functions in unfold's
 * app.js, so they are registered here as Alpine data, and the page's own state (the sidebar, the
 * change form's tab) is the component "unfoldPage" instead of inline statements.
 */
document.addEventListener("alpine:init", () => {
  for (const name of ["theme", "searchForm", "searchDropdown", "searchCommand"]) {
    if (typeof window[name] === "function") {
      Alpine.data(name, window[name]);
    }
  }

  Alpine.data("unfoldPage", (primaryTab = "", hasOpts = false) => ({
    activeTab: primaryTab,
    sidebarMobileOpen: false,
    sidebarDesktopOpen: localStorage.getItem("sidebarDesktopOpen") !== "0",

    init() {
      if (hasOpts && typeof window.getCurrentTab === "function") {
        this.activeTab = window.getCurrentTab() || primaryTab;
      }
    },

    toggleSidebarDesktop() {
      this.sidebarDesktopOpen = !this.sidebarDesktopOpen;
      localStorage.setItem("sidebarDesktopOpen", this.sidebarDesktopOpen ? "1" : "0");
    },

    get formAction() {
      const here = window.location.pathname + window.location.search;
      return this.activeTab && this.activeTab !== "general" ? here + "#" + this.activeTab : here;
    },
  }));
});
