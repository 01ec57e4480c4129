import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { PspApiService } from './psp-api.service.js';
import { ProcessPaymentInput, ProcessPaymentPayload, VerifyInsureeResult } from './psp-api.types.js';

/**
 * The external PSP API. Any signed-in user may call it, but only one linked to an active PSP with
 * `isExternalApiUser` gets an answer (openIMIS checks the link, not a right).
 */
@Resolver()
export class PspApiResolver {
  private readonly api: PspApiService;

  constructor(container: Container) {
    this.api = container.get(PspApiService);
  }

  @Authorized()
  @Query(() => VerifyInsureeResult, { nullable: true, description: 'The insuree\'s idle policies, for an external PSP.' })
  verifyInsuree(@Arg('chfId', () => String) chfId: string, @Ctx() ctx: Context): Promise<VerifyInsureeResult> {
    return this.api.verifyInsuree(() => ctx.em, ctx.user!, chfId);
  }

  @Authorized()
  @Mutation(() => ProcessPaymentPayload, { nullable: true, description: 'Records a payment an external PSP took; idempotent on pspTransactionId.' })
  async processPayment(@Arg('input', () => ProcessPaymentInput) input: ProcessPaymentInput, @Ctx() ctx: Context): Promise<ProcessPaymentPayload> {
    const payload = await this.api.processPayment(() => ctx.em, ctx.user!, ctx.requestId, input);
    ctx.auditEntity = { type: 'PaymentTransaction', id: payload.transactionUuid ?? input.pspTransactionId.slice(0, 100) };
    ctx.auditRecorded = true; // the payment statement or the refusal wrote it, with the request's detail
    return { ...payload, clientMutationId: input.clientMutationId };
  }
}
