/** The `app` namespace's French table as a module of its own chunk: an ES module, so commands.js needs no CommonJS interop to load it. */
import table from '../../i18n/resources/fr/app.json';

export default table;
