/** The rail operator's revenue account: every fare moves from a card's transit wallet to it. */
export const RAIL_REVENUE_ACCOUNT = 'operator:rail:revenue';
