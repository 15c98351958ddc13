import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CARD_NO_PATTERN, REGIONS } from '@onecard/kernel';
import { TERMINAL_KINDS, type GateDirection, type TerminalKind } from '@onecard/platform';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { TERMINAL_ID_PATTERN } from '../domain/terminal-placement.rule.js';
import { CLINIC_LEVELS, VENUE_ID_PATTERN, VENUE_KINDS, type VenueKind } from '../domain/venue.js';

export class ListVenuesQueryDto {
  @ApiPropertyOptional({ enum: VENUE_KINDS, description: 'Only venues of this kind.' })
  @IsOptional()
  @IsIn(VENUE_KINDS)
  kind?: VenueKind;
}

export class VenueDto {
  @ApiProperty({ example: 'TJN', description: 'Station code for stations; a readable id for other venues.' })
  venueId!: string;

  @ApiProperty({ enum: VENUE_KINDS })
  kind!: VenueKind;

  @ApiProperty({ enum: REGIONS, description: '11 Beijing, 12 Tianjin, 13 Hebei.' })
  region!: string;

  @ApiProperty({ example: '天津' })
  name!: string;

  @ApiPropertyOptional({ enum: CLINIC_LEVELS, description: 'Clinics only: institution level 1–3.' })
  level?: number;
}

export class RegisterTerminalDto {
  @ApiProperty({ example: 'TJN-G-IN-1', pattern: TERMINAL_ID_PATTERN.source, description: 'The terminal id it signs with (X-Terminal-Id).' })
  @Matches(TERMINAL_ID_PATTERN, { message: 'terminalId must be 1–64 of [A-Za-z0-9_-]' })
  terminalId!: string;

  @ApiProperty({
    enum: TERMINAL_KINDS,
    description:
      'GATE and SEAT_MACHINE stand at a STATION, CLINIC at a CLINIC, SCENIC_GATE at a SCENIC_SPOT, MUSEUM_GATE at a MUSEUM, LIBRARY_DESK at a LIBRARY; HOLDER_APP at no venue.',
  })
  @IsIn(TERMINAL_KINDS)
  kind!: TerminalKind;

  @ApiPropertyOptional({ example: 'TJN', pattern: VENUE_ID_PATTERN.source, description: 'Required for every kind except HOLDER_APP.', nullable: true })
  @IsOptional()
  @Matches(VENUE_ID_PATTERN, { message: 'venueId must be 1–64 of [A-Za-z0-9_-]' })
  venueId?: string | null;

  @ApiPropertyOptional({
    enum: ['IN', 'OUT'],
    description: "GATE only, and required for a GATE: entry or exit is configuration, never the terminal's claim.",
    nullable: true,
  })
  @IsOptional()
  @IsIn(['IN', 'OUT'])
  direction?: GateDirection | null;

  @ApiPropertyOptional({
    example: 'B00000018',
    pattern: CARD_NO_PATTERN.source,
    nullable: true,
    description:
      "HOLDER_APP only, and required for one: the holder's card the app is bound to. The app acts only for that card (403 for any other); " +
      'when the card is replaced, the binding moves to the new card on its activation.',
  })
  @IsOptional()
  @Matches(CARD_NO_PATTERN, { message: 'cardNo must be a card number: B, T or H followed by 8 digits' })
  cardNo?: string | null;
}

export class SetTerminalStatusDto {
  @ApiProperty({ example: false, description: 'false disables the terminal: its signed calls get 403 until enabled again.' })
  @IsBoolean()
  enabled!: boolean;
}

export class ListTerminalsQueryDto {
  @ApiPropertyOptional({ example: 'TJN' })
  @IsOptional()
  @Matches(VENUE_ID_PATTERN, { message: 'venueId must be 1–64 of [A-Za-z0-9_-]' })
  venueId?: string;

  @ApiPropertyOptional({ enum: TERMINAL_KINDS })
  @IsOptional()
  @IsIn(TERMINAL_KINDS)
  kind?: TerminalKind;
}

export class TerminalDto {
  @ApiProperty({ example: 'TJN-G-IN-1' })
  terminalId!: string;

  @ApiProperty({ enum: TERMINAL_KINDS })
  kind!: TerminalKind;

  @ApiProperty({ example: 'TJN', nullable: true, type: String })
  venueId!: string | null;

  @ApiProperty({ enum: REGIONS, nullable: true, description: "The venue's region (null for holder apps)." })
  region!: string | null;

  @ApiProperty({ enum: ['IN', 'OUT'], nullable: true })
  direction!: GateDirection | null;

  @ApiProperty({ nullable: true, type: String, example: null, description: 'HOLDER_APP: the card it is bound to and acts for.' })
  cardNo!: string | null;

  @ApiProperty()
  enabled!: boolean;
}
