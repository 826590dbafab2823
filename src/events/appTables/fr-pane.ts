/** The `appPane` namespace's table (fr) for the ribbon's draft and meeting paths (their code is chunks too). */
import table from '../../i18n/resources/fr/appPane.json';

export default table;
