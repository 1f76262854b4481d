"""Load the catalogue of catalogue.md: the 7 areas, the study programmes and the ATECO mapping.

The data is frozen here, not imported from the app, so that the migration
always loads exactly the contract it was written for. A test compares the
loaded rows with ``shared/domain/catalogue.md``.
"""

from django.db import migrations

AREAS = [
    ('agroalimentare', 'Agroalimentare', 'agricoltura, pesca, produzione di alimenti e bevande'),
    ('manifattura', 'Manifattura', 'tessile, moda, legno, carta, stampa, chimica, plastica, arredo, artigianato'),
    ('meccanica', 'Meccanica', 'metalli, macchinari, veicoli, cantieristica navale, elettrotecnica ed elettronica, impianti, energia, costruzioni'),
    ('cultura', 'Cultura', 'editoria, media, ICT, grafica, arti e patrimonio culturale'),
    ('turismo', 'Turismo', 'ricettività, ristorazione, viaggi, sport e tempo libero'),
    ('servizi-commerciali-trasporti', 'Servizi commerciali e trasporti', 'commercio, logistica, trasporti, finanza, servizi alle imprese'),
    ('servizi-persona', 'Servizi alla persona', 'sanità, assistenza sociale, benessere, servizi alla persona'),
]

# code, name, kind, legal basis, valid from, valid to, areas, successor
PROGRAMMES = [
    ('IT-AFM', 'Amministrazione, finanza e marketing', 'tecnico', 'DPR 88/2010', 2010, None, ('servizi-commerciali-trasporti',), None),
    ('IT-TUR', 'Turismo', 'tecnico', 'DPR 88/2010', 2010, None, ('turismo',), None),
    ('IT-MME', 'Meccanica, meccatronica ed energia', 'tecnico', 'DPR 88/2010', 2010, None, ('meccanica',), None),
    ('IT-TRL', 'Trasporti e logistica', 'tecnico', 'DPR 88/2010', 2010, None, ('servizi-commerciali-trasporti', 'meccanica'), None),
    ('IT-ELE', 'Elettronica ed elettrotecnica', 'tecnico', 'DPR 88/2010', 2010, None, ('meccanica',), None),
    ('IT-INF', 'Informatica e telecomunicazioni', 'tecnico', 'DPR 88/2010', 2010, None, ('cultura',), None),
    ('IT-GRC', 'Grafica e comunicazione', 'tecnico', 'DPR 88/2010', 2010, None, ('cultura',), None),
    ('IT-CMB', 'Chimica, materiali e biotecnologie', 'tecnico', 'DPR 88/2010', 2010, None, ('manifattura',), None),
    ('IT-MOD', 'Sistema moda', 'tecnico', 'DPR 88/2010', 2010, None, ('manifattura',), None),
    ('IT-AGR', 'Agraria, agroalimentare e agroindustria', 'tecnico', 'DPR 88/2010', 2010, None, ('agroalimentare',), None),
    ('IT-CAT', 'Costruzioni, ambiente e territorio', 'tecnico', 'DPR 88/2010', 2010, None, ('meccanica',), None),
    ('IPO-AGR', "Servizi per l'agricoltura e lo sviluppo rurale", 'professionale', 'DPR 87/2010', 2010, 2017, ('agroalimentare',), 'IP-AGR'),
    ('IPO-SSS', 'Servizi socio-sanitari', 'professionale', 'DPR 87/2010', 2010, 2017, ('servizi-persona',), 'IP-SSA'),
    ('IPO-ENO', "Servizi per l'enogastronomia e l'ospitalità alberghiera", 'professionale', 'DPR 87/2010', 2010, 2017, ('turismo', 'agroalimentare'), 'IP-ENO'),
    ('IPO-SCO', 'Servizi commerciali', 'professionale', 'DPR 87/2010', 2010, 2017, ('servizi-commerciali-trasporti',), 'IP-SCO'),
    ('IPO-PIA', 'Produzioni industriali e artigianali', 'professionale', 'DPR 87/2010', 2010, 2017, ('manifattura',), 'IP-IAM'),
    ('IPO-MAT', 'Manutenzione e assistenza tecnica', 'professionale', 'DPR 87/2010', 2010, 2017, ('meccanica',), 'IP-MAT'),
    ('IP-AGR', 'Agricoltura, sviluppo rurale, valorizzazione dei prodotti del territorio e gestione delle risorse forestali e montane', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('agroalimentare',), None),
    ('IP-PES', 'Pesca commerciale e produzioni ittiche', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('agroalimentare',), None),
    ('IP-IAM', 'Industria e artigianato per il Made in Italy', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('manifattura',), None),
    ('IP-MAT', 'Manutenzione e assistenza tecnica', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('meccanica',), None),
    ('IP-GAR', 'Gestione delle acque e risanamento ambientale', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('meccanica',), None),
    ('IP-SCO', 'Servizi commerciali', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('servizi-commerciali-trasporti',), None),
    ('IP-ENO', 'Enogastronomia e ospitalità alberghiera', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('turismo', 'agroalimentare'), None),
    ('IP-SCS', 'Servizi culturali e dello spettacolo', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('cultura',), None),
    ('IP-SSA', "Servizi per la sanità e l'assistenza sociale", 'professionale', 'D.Lgs. 61/2017', 2018, None, ('servizi-persona',), None),
    ('IP-ODO', 'Arti ausiliarie delle professioni sanitarie: odontotecnico', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('servizi-persona',), None),
    ('IP-OTT', 'Arti ausiliarie delle professioni sanitarie: ottico', 'professionale', 'D.Lgs. 61/2017', 2018, None, ('servizi-persona',), None),
    ('IEFP-MEC', 'Operatore meccanico', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-ELE', 'Operatore elettrico', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-ELN', 'Operatore elettronico', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-VEI', 'Operatore alla riparazione dei veicoli a motore', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-IMB', 'Operatore del montaggio e della manutenzione di imbarcazioni da diporto', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-TER', 'Operatore di impianti termoidraulici', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-EDI', 'Operatore edile', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('meccanica',), None),
    ('IEFP-ABB', "Operatore dell'abbigliamento", 'iefp', 'D.Lgs. 226/2005', 2010, None, ('manifattura',), None),
    ('IEFP-LEG', 'Operatore del legno', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('manifattura',), None),
    ('IEFP-ART', 'Operatore delle lavorazioni artistiche', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('manifattura', 'cultura'), None),
    ('IEFP-GRA', 'Operatore grafico', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('cultura',), None),
    ('IEFP-AGR', 'Operatore agricolo', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('agroalimentare',), None),
    ('IEFP-TAG', 'Operatore della trasformazione agroalimentare', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('agroalimentare',), None),
    ('IEFP-RIS', 'Operatore della ristorazione', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('turismo',), None),
    ('IEFP-ACC', 'Operatore ai servizi di promozione e accoglienza', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('turismo',), None),
    ('IEFP-VEN', 'Operatore ai servizi di vendita', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('servizi-commerciali-trasporti',), None),
    ('IEFP-IMP', 'Operatore ai servizi di impresa', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('servizi-commerciali-trasporti',), None),
    ('IEFP-LOG', 'Operatore dei sistemi e dei servizi logistici', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('servizi-commerciali-trasporti',), None),
    ('IEFP-BEN', 'Operatore del benessere', 'iefp', 'D.Lgs. 226/2005', 2010, None, ('servizi-persona',), None),
    ('ITSO-EE', 'Efficienza energetica', 'its', 'DPCM 25/01/2008', 2010, 2023, ('meccanica',), None),
    ('ITSO-MS', 'Mobilità sostenibile', 'its', 'DPCM 25/01/2008', 2010, 2023, ('servizi-commerciali-trasporti', 'meccanica'), None),
    ('ITSO-TV', 'Nuove tecnologie della vita', 'its', 'DPCM 25/01/2008', 2010, 2023, ('manifattura',), None),
    ('ITSO-MI-AGR', 'Nuove tecnologie per il Made in Italy – sistema agroalimentare', 'its', 'DPCM 25/01/2008', 2010, 2023, ('agroalimentare',), None),
    ('ITSO-MI-CAS', 'Nuove tecnologie per il Made in Italy – sistema casa', 'its', 'DPCM 25/01/2008', 2010, 2023, ('manifattura', 'meccanica'), None),
    ('ITSO-MI-MEC', 'Nuove tecnologie per il Made in Italy – sistema meccanica', 'its', 'DPCM 25/01/2008', 2010, 2023, ('meccanica',), None),
    ('ITSO-MI-MOD', 'Nuove tecnologie per il Made in Italy – sistema moda', 'its', 'DPCM 25/01/2008', 2010, 2023, ('manifattura',), None),
    ('ITSO-MI-SER', 'Nuove tecnologie per il Made in Italy – servizi alle imprese', 'its', 'DPCM 25/01/2008', 2010, 2023, ('servizi-commerciali-trasporti',), None),
    ('ITSO-BCT', 'Tecnologie innovative per i beni e le attività culturali – turismo', 'its', 'DPCM 25/01/2008', 2010, 2023, ('cultura', 'turismo'), None),
    ('ITSO-ICT', "Tecnologie dell'informazione e della comunicazione", 'its', 'DPCM 25/01/2008', 2010, 2023, ('cultura',), None),
    ('ITS-01', 'Energia', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('meccanica',), None),
    ('ITS-02', 'Mobilità sostenibile e logistica', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('servizi-commerciali-trasporti', 'meccanica'), None),
    ('ITS-03', 'Chimica e nuove tecnologie della vita', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('manifattura',), None),
    ('ITS-04', 'Sistema agroalimentare', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('agroalimentare',), None),
    ('ITS-05', 'Sistema casa e ambiente costruito', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('meccanica', 'manifattura'), None),
    ('ITS-06', 'Meccatronica', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('meccanica',), None),
    ('ITS-07', 'Sistema moda', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('manifattura',), None),
    ('ITS-08', 'Servizi alle imprese e agli enti senza fini di lucro', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('servizi-commerciali-trasporti',), None),
    ('ITS-09', 'Tecnologie per i beni e le attività artistiche e culturali e per il turismo', 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('cultura', 'turismo'), None),
    ('ITS-10', "Tecnologie dell'informazione, della comunicazione e dei dati", 'its', 'L. 99/2022, DM 203/2023', 2024, None, ('cultura',), None),
]

# ATECO 2025 divisions mapped to each area
ATECO_2025_DIVISIONS = {
    'agroalimentare': ('01', '02', '03', '10', '11', '12', '75'),
    'manifattura': ('13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '31', '32'),
    'meccanica': ('24', '25', '26', '27', '28', '29', '30', '33', '35', '36', '37', '38', '39', '41', '42', '43', '71'),
    'cultura': ('58', '59', '60', '61', '62', '63', '73', '74', '90', '91'),
    'turismo': ('55', '56', '79', '93'),
    'servizi-commerciali-trasporti': ('46', '47', '49', '50', '51', '52', '53', '64', '65', '66', '68', '69', '70', '77', '78', '82'),
    'servizi-persona': ('86', '87', '88', '96'),
}


def load_catalogue(apps, schema_editor):
    EconomicArea = apps.get_model("networks", "EconomicArea")
    StudyProgramme = apps.get_model("networks", "StudyProgramme")
    AtecoMapping = apps.get_model("networks", "AtecoMapping")
    areas = {}
    for position, (code, name, description) in enumerate(AREAS, start=1):
        areas[code] = EconomicArea.objects.create(
            code=code, name=name, description=description, position=position
        )
    programmes = {}
    for code, name, kind, basis, valid_from, valid_to, area_codes, _successor in PROGRAMMES:
        programme = StudyProgramme.objects.create(
            code=code, name=name, kind=kind, legal_basis=basis, valid_from=valid_from, valid_to=valid_to
        )
        programme.areas.set([areas[area] for area in area_codes])
        programmes[code] = programme
    for code, *_rest, successor in PROGRAMMES:
        if successor:
            StudyProgramme.objects.filter(pk=programmes[code].pk).update(successor=programmes[successor])
    AtecoMapping.objects.bulk_create(
        AtecoMapping(edition="2025", prefix=division, area=areas[area])
        for area, divisions in ATECO_2025_DIVISIONS.items()
        for division in divisions
    )


def unload_catalogue(apps, schema_editor):
    apps.get_model("networks", "AtecoMapping").objects.all().delete()
    StudyProgramme = apps.get_model("networks", "StudyProgramme")
    StudyProgramme.objects.update(successor=None)
    StudyProgramme.objects.all().delete()
    apps.get_model("networks", "EconomicArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
