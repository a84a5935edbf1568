export { listTemplates, loadTemplate, templateIds, TEMPLATES_DIR, type Template } from "./template-catalog.js";
export { addComponent, newApp } from "./create-app.js";
