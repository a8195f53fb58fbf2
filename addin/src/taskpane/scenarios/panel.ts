/** Placeholder until the scenario builders land: the task pane's Scenarios tab mounts here. */
export function mountScenarios(container: HTMLElement, options: { inExcel: boolean }): void {
  container.textContent = options.inExcel ? "Scenario builders are coming." : "Scenario builders are coming (in Excel).";
}
