import { Role } from '../../auth/role.js';
import { User } from '../../auth/user.entity.js';
import type { Container } from '../../container.js';
import { PaymentServiceProvider, PspKind } from '../../psp/payment-service-provider.entity.js';
import { PspService } from '../../psp/psp.service.js';
import { portProblem } from '../../startup/startup-error.js';
import type { Startable } from '../startable.js';
import { QmoneySimulator } from './qmoney.simulator.js';

/** Credentials the demo simulator and the demo PSP share (test values, like Qmoney's UAT samples). */
export const DEMO_QMONEY = {
  pspName: 'Qmoney (simulator)',
  externalPspName: 'Africell',
  externalPspUser: 'psp-africell',
  basicToken: 'SEVMQV9ERU1POmRlbW8=',
  username: '14001502',
  password: 'demo-qmoney-password',
  account: '14001502',
  pin: '1234',
  openingBalance: '10000.00',
};

/** Holds the running demo simulator, so the demo (and anything in-process) can read its OTP outbox. */
export class QmoneySimulatorHost {
  simulator?: QmoneySimulator;
}

/**
 * With simulators enabled, a Qmoney simulator runs beside the app (every wallet opens with 10,000)
 * and, when the demo data is seeded, a demo Qmoney PSP pointing at it and an external PSP for the
 * demo PSP user are created or re-pointed at each start.
 */
export function qmoneySimulatorStartable(container: Container): Startable | undefined {
  const { simulators, host } = container.config;
  if (!simulators.enabled) return undefined;
  const simulator = new QmoneySimulator({
    basicToken: DEMO_QMONEY.basicToken,
    username: DEMO_QMONEY.username,
    password: DEMO_QMONEY.password,
    merchants: { [DEMO_QMONEY.account]: DEMO_QMONEY.pin },
    openingBalance: DEMO_QMONEY.openingBalance,
  });
  return {
    async start() {
      const url = await simulator.start(simulators.qmoneyPort, host).catch((error: unknown) => {
        throw portProblem(error, 'QMONEY_SIMULATOR_PORT', simulators.qmoneyPort, host) ?? error;
      });
      container.get(QmoneySimulatorHost).simulator = simulator;
      container.log.info({ url, outbox: `${url}/outbox` }, 'Qmoney simulator started');
      if (container.config.seedDemo) await upsertDemoPsps(container, url);
    },
    stop: () => simulator.stop(),
  };
}

async function upsertDemoPsps(container: Container, url: string): Promise<void> {
  const psps = container.get(PspService);
  const em = container.orm.em.fork();
  const qmoney = await em.findOne(PaymentServiceProvider, { name: DEMO_QMONEY.pspName, validityTo: null });
  const settings = {
    name: DEMO_QMONEY.pspName, kind: PspKind.QMONEY, baseUrl: url, account: DEMO_QMONEY.account, pin: DEMO_QMONEY.pin,
    loginUsername: DEMO_QMONEY.username, loginPassword: DEMO_QMONEY.password, basicToken: DEMO_QMONEY.basicToken,
  };
  if (qmoney) await psps.update(em, { ...settings, uuid: qmoney.uuid });
  else await psps.create(em, settings);

  const pspUser = await em.findOne(User, { username: DEMO_QMONEY.externalPspUser });
  if (pspUser?.roles.includes(Role.PSP) && !(await em.count(PaymentServiceProvider, { name: DEMO_QMONEY.externalPspName }))) {
    await psps.create(em, { name: DEMO_QMONEY.externalPspName, isExternalApiUser: true, interactiveUserUuid: pspUser.id });
  }
}
