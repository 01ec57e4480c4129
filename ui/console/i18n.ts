/** The four languages openIMIS and OpenG2P deployments run in; money and dates through Intl. */
export const LANGUAGES = { en: 'English', fr: 'Français', pt: 'Português', es: 'Español' } as const;
export type Language = keyof typeof LANGUAGES;

const en = {
  title: 'Hela console', signIn: 'Sign in', username: 'Username', password: 'Password', signOut: 'Sign out', language: 'Language',
  signInHint: 'Sign in with your Hela account.', signedInAs: 'Signed in as', views: 'Views',
  cycles: 'Programmes and cycles', batches: 'Batches', channels: 'Channels and integration errors', problems: 'Failed and reversed payments',
  statements: 'Bank statements', collections: 'OTP collections', programme: 'Programme', cycle: 'Cycle', choose: 'Choose…',
  status: 'Status', count: 'Count', amount: 'Amount', payments: 'Payments', live: 'Live', exportCsv: 'Download payments (CSV)',
  seq: 'No.', attempts: 'Attempts', lastError: 'Last error', updated: 'Updated', name: 'Name', kind: 'Kind', health: 'Health', failures: 'Consecutive failures',
  operation: 'Operation', code: 'Code', message: 'Message', when: 'When', payee: 'Payee', reason: 'Reason', account: 'Account', number: 'Number',
  entries: 'Entries', paid: 'Paid', reversed: 'Reversed', errors: 'Errors', reconciliationErrors: 'Reconciliation errors', exportReconciliation: 'Download reconciliation (CSV)',
  state: 'State', started: 'Started', psp: 'PSP answer', none: 'Nothing to show.', chooseCycle: 'Choose a cycle first.', noRole: 'Your roles give you no view here.',
  disbursement: 'Disbursement', barLabel: 'Payments by status',
  approvals: 'Approvals', stage: 'Stage', role: 'Role', approvedBy: 'Approved by', comment: 'Comment', waitingFor: 'Waiting for stage', approvalsDone: 'Every stage is approved.', pendingChanges: 'Settings changes waiting for a second admin', author: 'Proposed by', expires: 'Expires', change: 'Change',
};
type Messages = typeof en;

const MESSAGES: Record<Language, Messages> = {
  en,
  fr: {
    title: 'Console Hela', signIn: 'Se connecter', username: "Nom d'utilisateur", password: 'Mot de passe', signOut: 'Se déconnecter', language: 'Langue',
    signInHint: 'Connectez-vous avec votre compte Hela.', signedInAs: 'Connecté en tant que', views: 'Vues',
    cycles: 'Programmes et cycles', batches: 'Lots', channels: "Canaux et erreurs d'intégration", problems: 'Paiements échoués et annulés',
    statements: 'Relevés bancaires', collections: 'Encaissements OTP', programme: 'Programme', cycle: 'Cycle', choose: 'Choisir…',
    status: 'Statut', count: 'Nombre', amount: 'Montant', payments: 'Paiements', live: 'En direct', exportCsv: 'Télécharger les paiements (CSV)',
    seq: 'N°', attempts: 'Tentatives', lastError: 'Dernière erreur', updated: 'Mis à jour', name: 'Nom', kind: 'Type', health: 'État', failures: 'Échecs consécutifs',
    operation: 'Opération', code: 'Code', message: 'Message', when: 'Quand', payee: 'Bénéficiaire', reason: 'Motif', account: 'Compte', number: 'Numéro',
    entries: 'Écritures', paid: 'Payés', reversed: 'Annulés', errors: 'Erreurs', reconciliationErrors: 'Erreurs de rapprochement', exportReconciliation: 'Télécharger le rapprochement (CSV)',
    state: 'État', started: 'Début', psp: 'Réponse du PSP', none: 'Rien à afficher.', chooseCycle: "Choisissez d'abord un cycle.", noRole: 'Vos rôles ne donnent accès à aucune vue.',
    disbursement: 'Décaissement', barLabel: 'Paiements par statut',
    approvals: 'Approbations', stage: 'Étape', role: 'Rôle', approvedBy: 'Approuvé par', comment: 'Commentaire', waitingFor: "En attente de l'étape", approvalsDone: 'Toutes les étapes sont approuvées.', pendingChanges: "Modifications de paramètres en attente d'un second administrateur", author: 'Proposé par', expires: 'Expire', change: 'Modification',
  },
  pt: {
    title: 'Consola Hela', signIn: 'Entrar', username: 'Utilizador', password: 'Palavra-passe', signOut: 'Sair', language: 'Idioma',
    signInHint: 'Entre com a sua conta Hela.', signedInAs: 'Sessão de', views: 'Vistas',
    cycles: 'Programas e ciclos', batches: 'Lotes', channels: 'Canais e erros de integração', problems: 'Pagamentos falhados e revertidos',
    statements: 'Extratos bancários', collections: 'Cobranças OTP', programme: 'Programa', cycle: 'Ciclo', choose: 'Escolher…',
    status: 'Estado', count: 'Quantidade', amount: 'Montante', payments: 'Pagamentos', live: 'Em direto', exportCsv: 'Descarregar pagamentos (CSV)',
    seq: 'N.º', attempts: 'Tentativas', lastError: 'Último erro', updated: 'Atualizado', name: 'Nome', kind: 'Tipo', health: 'Saúde', failures: 'Falhas consecutivas',
    operation: 'Operação', code: 'Código', message: 'Mensagem', when: 'Quando', payee: 'Beneficiário', reason: 'Motivo', account: 'Conta', number: 'Número',
    entries: 'Lançamentos', paid: 'Pagos', reversed: 'Revertidos', errors: 'Erros', reconciliationErrors: 'Erros de reconciliação', exportReconciliation: 'Descarregar reconciliação (CSV)',
    state: 'Estado', started: 'Início', psp: 'Resposta do PSP', none: 'Nada a mostrar.', chooseCycle: 'Escolha primeiro um ciclo.', noRole: 'Os seus papéis não dão acesso a nenhuma vista.',
    disbursement: 'Desembolso', barLabel: 'Pagamentos por estado',
    approvals: 'Aprovações', stage: 'Etapa', role: 'Função', approvedBy: 'Aprovado por', comment: 'Comentário', waitingFor: 'À espera da etapa', approvalsDone: 'Todas as etapas estão aprovadas.', pendingChanges: 'Alterações de configuração à espera de um segundo administrador', author: 'Proposto por', expires: 'Expira', change: 'Alteração',
  },
  es: {
    title: 'Consola Hela', signIn: 'Iniciar sesión', username: 'Usuario', password: 'Contraseña', signOut: 'Cerrar sesión', language: 'Idioma',
    signInHint: 'Inicie sesión con su cuenta de Hela.', signedInAs: 'Sesión de', views: 'Vistas',
    cycles: 'Programas y ciclos', batches: 'Lotes', channels: 'Canales y errores de integración', problems: 'Pagos fallidos y revertidos',
    statements: 'Extractos bancarios', collections: 'Cobros OTP', programme: 'Programa', cycle: 'Ciclo', choose: 'Elegir…',
    status: 'Estado', count: 'Cantidad', amount: 'Importe', payments: 'Pagos', live: 'En vivo', exportCsv: 'Descargar pagos (CSV)',
    seq: 'N.º', attempts: 'Intentos', lastError: 'Último error', updated: 'Actualizado', name: 'Nombre', kind: 'Tipo', health: 'Salud', failures: 'Fallos consecutivos',
    operation: 'Operación', code: 'Código', message: 'Mensaje', when: 'Cuándo', payee: 'Beneficiario', reason: 'Motivo', account: 'Cuenta', number: 'Número',
    entries: 'Asientos', paid: 'Pagados', reversed: 'Revertidos', errors: 'Errores', reconciliationErrors: 'Errores de conciliación', exportReconciliation: 'Descargar conciliación (CSV)',
    state: 'Estado', started: 'Inicio', psp: 'Respuesta del PSP', none: 'Nada que mostrar.', chooseCycle: 'Elija primero un ciclo.', noRole: 'Sus roles no dan acceso a ninguna vista.',
    disbursement: 'Desembolso', barLabel: 'Pagos por estado',
    approvals: 'Aprobaciones', stage: 'Etapa', role: 'Rol', approvedBy: 'Aprobado por', comment: 'Comentario', waitingFor: 'En espera de la etapa', approvalsDone: 'Todas las etapas están aprobadas.', pendingChanges: 'Cambios de configuración en espera de un segundo administrador', author: 'Propuesto por', expires: 'Vence', change: 'Cambio',
  },
};

export type MessageKey = keyof Messages;

export function messages(language: Language): Messages {
  return MESSAGES[language];
}

/** The browser's language when it is one of ours, else English. */
export function preferredLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (base in LANGUAGES) return base as Language;
  }
  return 'en';
}

export function money(language: Language, amount: string | number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined || amount === '') return '';
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

export function dateTime(language: Language, value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function count(language: Language, value: number): string {
  return new Intl.NumberFormat(language).format(value);
}
