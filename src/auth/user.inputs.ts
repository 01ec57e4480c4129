import { ArrayMinSize, IsUUID, Length, Matches } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../common/paging.js';
import { Role } from './role.js';

@InputType()
export class CreateUserInput {
  @Field(() => String)
  @Length(3, 150)
  @Matches(/^[\w.@+-]+$/, { message: 'username may contain letters, digits and . @ + - _ only' })
  username!: string;

  @Field(() => String, { description: 'At least 8 characters.' })
  password!: string;

  @Field(() => [Role])
  @ArrayMinSize(1)
  roles!: Role[];
}

@InputType()
export class UpdateUserInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => [Role], { nullable: true })
  @ArrayMinSize(1)
  roles?: Role[];

  @Field(() => Boolean, { nullable: true, description: 'false disables the user and cuts off its tokens.' })
  isActive?: boolean;
}

@InputType()
export class SetUserPasswordInput {
  @Field(() => ID)
  @IsUUID()
  id!: string;

  @Field(() => String)
  password!: string;
}

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Substring of the username, case-insensitive.' })
  search?: string;

  @Field(() => Role, { nullable: true })
  role?: Role;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean;
}
