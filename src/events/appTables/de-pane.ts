/** The `appPane` namespace's table (de) for the ribbon's draft and meeting paths (their code is chunks too). */
import table from '../../i18n/resources/de/appPane.json';

export default table;
