import { Arg, Args, Authorized, Ctx, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Paginated } from '../common/paging.js';
import type { Container } from '../container.js';
import type { Context } from '../graphql/context.js';
import { Product } from './product.entity.js';
import { CreateProductInput, ProductsArgs, UpdateProductInput } from './product.inputs.js';
import { ProductService } from './product.service.js';
import { PRODUCT_WRITERS, REGISTRY_READERS } from './registry.roles.js';

@ObjectType()
class ProductPage extends Paginated(Product) {}

@Resolver(() => Product)
export class ProductResolver {
  private readonly productService: ProductService;

  constructor(container: Container) {
    this.productService = container.get(ProductService);
  }

  @Authorized(...REGISTRY_READERS)
  @Query(() => ProductPage, { description: 'By code.' })
  products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: Context): Promise<ProductPage> {
    return this.productService.list(ctx.em, args);
  }

  @Authorized(...PRODUCT_WRITERS)
  @Mutation(() => Product)
  async createProduct(@Arg('input', () => CreateProductInput) input: CreateProductInput, @Ctx() ctx: Context): Promise<Product> {
    const product = await this.productService.create(ctx.em, input);
    ctx.auditEntity = { type: 'Product', id: product.uuid };
    return product;
  }

  @Authorized(...PRODUCT_WRITERS)
  @Mutation(() => Product)
  updateProduct(@Arg('input', () => UpdateProductInput) input: UpdateProductInput, @Ctx() ctx: Context): Promise<Product> {
    ctx.auditEntity = { type: 'Product', id: input.uuid };
    return this.productService.update(ctx.em, input);
  }
}
