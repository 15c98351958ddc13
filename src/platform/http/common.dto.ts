import { ApiProperty } from '@nestjs/swagger';

/** The rule set version a decision recorded (one OpenAPI schema for every context). */
export class RuleRefDto {
  @ApiProperty({ example: 'transit.jingjin', description: 'Rule set family id.' })
  id!: string;

  @ApiProperty({ example: 1, description: 'Published version of the family.' })
  version!: number;
}
