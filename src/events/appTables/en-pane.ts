/** The `appPane` namespace's table (en) for the ribbon's draft and meeting paths (their code is chunks too). */
import table from '../../i18n/resources/en/appPane.json';

export default table;
