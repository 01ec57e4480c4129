import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { escapeLike } from '../auth/user.service.js';
import { ConflictError, NotFoundError } from '../common/domain-error.js';
import { assertCurrency } from '../common/currency.js';
import { positiveAmountIn } from '../common/money.js';
import { findPage, type Page } from '../common/paging.js';
import { Product } from './product.entity.js';
import type { CreateProductInput, ProductsArgs, UpdateProductInput } from './product.inputs.js';
import { conflictOnDuplicate } from './registry.errors.js';

export class ProductService {
  async create(em: EntityManager, input: CreateProductInput): Promise<Product> {
    if (await em.count(Product, { code: input.code })) {
      throw new ConflictError(`A product with code ${input.code} already exists`, { field: 'code' });
    }
    const product = em.create(Product, {
      code: input.code,
      name: input.name,
      lumpSum: positiveAmountIn(input.lumpSum, input.currency, 'lumpSum'),
      currency: assertCurrency(input.currency),
      ...(input.insurancePeriodMonths !== undefined && input.insurancePeriodMonths !== null && { insurancePeriodMonths: input.insurancePeriodMonths }),
    });
    await conflictOnDuplicate(() => em.flush());
    return product;
  }

  async update(em: EntityManager, input: UpdateProductInput): Promise<Product> {
    const product = await this.find(em, input.uuid);
    if (input.name != null) product.name = input.name;
    const currency = input.currency != null ? assertCurrency(input.currency) : product.currency;
    // A new currency must fit the lump sum too: 1500.50 GMD cannot become 1500.50 XOF.
    product.lumpSum = positiveAmountIn(input.lumpSum ?? product.lumpSum, currency, 'lumpSum');
    product.currency = currency;
    if (input.insurancePeriodMonths != null) product.insurancePeriodMonths = input.insurancePeriodMonths;
    await em.flush();
    return product;
  }

  async list(em: EntityManager, args: ProductsArgs): Promise<Page<Product>> {
    const where: FilterQuery<Product> = {};
    if (args.code) where.code = args.code;
    if (args.search) {
      const like = `%${escapeLike(args.search)}%`;
      where.$or = [{ code: { $ilike: like } }, { name: { $ilike: like } }];
    }
    return findPage(em, Product, where, args, { orderBy: { code: 'asc' } });
  }

  async find(em: EntityManager, uuid: string): Promise<Product> {
    const product = await em.findOne(Product, { uuid });
    if (!product) throw new NotFoundError('Product', uuid);
    return product;
  }

  async findByCode(em: EntityManager, code: string): Promise<Product> {
    const product = await em.findOne(Product, { code });
    if (!product) throw new NotFoundError('Product', code);
    return product;
  }
}
