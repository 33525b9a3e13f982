import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { TOKEN_SCOPES, type TokenScope } from '../token-scope';

export class CreatePersonalTokenDto {
  @ApiProperty({ example: 'laptop notebook' })
  @Matches(/^[\p{L}\p{N} ._:@()-]{1,64}$/u, { message: 'name: 1-64 letters, digits, spaces or . _ : @ ( ) -' })
  name!: string;

  @ApiProperty({ enum: TOKEN_SCOPES })
  @IsIn(TOKEN_SCOPES, { message: 'scope: must be read or submit' })
  scope!: TokenScope;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 366,
    description: 'the token stops working after this many days; none: until revoked',
  })
  @IsOptional()
  @IsInt({ message: 'expiresInDays: must be a whole number of days' })
  @Min(1, { message: 'expiresInDays: at least 1' })
  @Max(366, { message: 'expiresInDays: at most 366' })
  expiresInDays?: number;
}
